"""Hostile input and isolation: every root field against bad callers, fuzzed inputs, limits."""
