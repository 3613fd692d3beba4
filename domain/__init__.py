"""The domain model of thi đua – khen thưởng (emulation and commendation): pure, no I/O.

Aggregates record every fact a province keeps about an emulation year as explicit, typed
events. Nothing here reads a clock, the environment or a database: the services layer passes
in what a command needs (the rules in force, another aggregate's facts) and saves the result.
"""
