"""The statistical forms of Circular 02/2023/TT-BNV (biểu mẫu báo cáo thống kê 0601–0605)."""
