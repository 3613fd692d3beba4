"""Faults: PostgreSQL stopped and restarted, workers killed, races, retries, steady load."""
