"""Files of dossiers (tệp đính kèm): checked by their content, stored under their SHA-256 in the
province's own schema, referred to by events (whose hash chain so covers them)."""
