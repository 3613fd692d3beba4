"""The award catalogue and the rule set in force on a date (danh mục khen thưởng, bộ quy tắc)."""
