"""Benchmarks of Thi Đua Ledger (đo hiệu năng): writes, catch-up and queries against floors.

`make bench` (= `python -m bench`) runs every case against a real PostgreSQL (embedded under
`var/bench/` unless BENCH_DATABASE_URL names a server) and the real HTTP server, prints a table
and writes `bench/results/latest.json` and `bench/results/README-table.md`. Each case's floor is
the same work done the fastest way PostgreSQL allows, measured in the same run, so the ratio
holds on a noisy machine. These are measurements, not tests: they do not run in CI.

Modules: `runner` (the run), `options` (flags), `environment` (database, machine facts),
`served` and `floor_app` (HTTP servers), `load` (clients), `floors`, `peer`, `results`,
`datagen` (provinces generated through the domain), and one `case_<name>` per case.
"""
