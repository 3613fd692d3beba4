"""The province directory (danh mục): units, blocks and ballots, read from existing read models."""
