"""Standings of an emulation block's year (bảng xếp hạng khối thi đua)."""
