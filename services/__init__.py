"""Application layer and composition root of Thi Đua Ledger (dịch vụ ứng dụng)."""
