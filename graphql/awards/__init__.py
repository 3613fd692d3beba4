"""Awards (khen thưởng): proposals, disclosure, council votes, decisions, revocations, records."""
