"""The audit trail (nhật ký kiểm tra): one row per event, for auditors and inspectors."""
