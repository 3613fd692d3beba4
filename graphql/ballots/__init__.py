"""Votes (bỏ phiếu): open and secret ballots, casting, closing and the tally."""
