"""The province's rule book (bộ quy tắc) and its council (Hội đồng Thi đua – Khen thưởng)."""
