"""What auditors (thanh tra) read: the audit trail, its live feed, and the ledger's hash chain."""
