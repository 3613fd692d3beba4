"""The composition root (gốc lắp ráp): the app factory, the command line and serving.

The only code that imports every layer (domain, projections, services, graphql); nothing below
imports it. The console script `thidua` is `thidua.app.cli:cli`.
"""
