"""Relay support: the `node(id:)` root field over the types with global IDs."""
