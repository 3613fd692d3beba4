"""Plumbing shared by every GraphQL feature: errors, permissions, pagination, limits, mutations."""
