"""Who is calling and which province (tỉnh) they act in."""
