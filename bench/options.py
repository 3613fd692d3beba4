"""The knobs of a benchmark run (`python -m bench --help`), with defaults that fit 2 cores and
finish in under 10 minutes once the large province is cached."""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass, field
from pathlib import Path

from bench.environment import DEFAULT_DATA_DIR
from bench.variants import VARIANTS

CASES = (
    "write_single_province",
    "write_many_provinces",
    "write_bulk_ratings",
    "projection_rebuild",
    "query_standings",
    "freshness",
    "subscription_delay",
    "import_excel_staff",
    "export_register_xlsx",
    "search_history",
    "query_standings_as_of",
    "query_standings_effective_on",
    "ledger_verify",
    "decide_large_decision",
    "merge_provinces",
    "hosted_instance",
)


@dataclass(frozen=True)
class Options:
    only: tuple[str, ...] = CASES
    duration: float = 10.0  # measuring window of each throughput case, seconds
    warmup: float = 2.0
    events: int = 1_000_000  # size of the projection_rebuild province
    rebuild_budget: float = 240.0  # seconds of the one-pass rebuild before extrapolating; 0: none
    rebuild_processes: int = 1  # >1: the projections rebuilt in that many processes (no budget)
    write_clients: int = 16
    provinces: int = 8
    ratings_per_request: int = 500
    bulk_clients: int = 2
    query_clients: int = 64
    block_units: int = 20
    freshness_rate: float = 200.0
    freshness_samples: int = 200
    subscribers: int = 20  # WebSocket subscribers of the block in subscription_delay
    excel_rows: int = 10_000  # rows of the import_excel_staff file
    excel_memory_rows: int = 0  # a dry run of this many rows for the memory figure (0: none)
    register_rows: int = 100_000  # recipient lines of the export_register_xlsx register
    history_records: int = 100_000
    search_clients: int = 4
    asof_clients: int = 4  # auditors asking for standings as of an instant (or effective on a day)
    decision_recipients: int = 500  # recipients named in each decide_large_decision request
    merge_events: int = 300_000  # events of each of the three merged provinces
    hosted_provinces: int = 34  # provinces on the one instance of hosted_instance
    hosted_scale: float = 1.0  # multiple of the year-end week's estimated rate
    hosted_duration: float = 60.0  # measuring window of hosted_instance, seconds
    hosted_province_pool: int = 2  # THIDUA_PROVINCE_POOL_SIZE of hosted_instance's server (the default)
    hosted_workers: int = 2  # its server processes, as production serves (one per core)
    data_dir: Path = DEFAULT_DATA_DIR
    regenerate: bool = False
    server_log_level: str = "INFO"
    # `thidua serve --workers`: one server process per core, as the README advises for production.
    server_workers: int = os.cpu_count() or 1
    profile: bool = False
    variant: str | None = None
    results_dir: Path | None = None  # default bench/results
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def logs_dir(self) -> Path:
        return self.data_dir / "logs"

    def profile_path(self, case: str) -> Path:
        return self.data_dir / "profiles" / f"{case}.txt"


def parse(argv: list[str] | None = None) -> Options:
    p = argparse.ArgumentParser(
        prog="python -m bench",
        description="Benchmarks of Thi Đua Ledger against floors measured in the same run.",
    )
    p.add_argument("--only", action="append", choices=CASES, help="run only this case (repeatable)")
    p.add_argument("--duration", type=float, default=Options.duration, help="seconds measured per case")
    p.add_argument("--warmup", type=float, default=Options.warmup, help="seconds of warm-up per case")
    p.add_argument("--events", type=int, default=Options.events, help="events in the rebuild province")
    p.add_argument("--rebuild-budget", type=float, default=Options.rebuild_budget,
                   help="seconds of the one-pass rebuild, then extrapolate (0: always finish)")
    p.add_argument("--rebuild-processes", type=int, default=Options.rebuild_processes,
                   help="processes of the rebuild (thidua projections rebuild --processes)")
    p.add_argument("--write-clients", type=int, default=Options.write_clients)
    p.add_argument("--provinces", type=int, default=Options.provinces)
    p.add_argument("--ratings-per-request", type=int, default=Options.ratings_per_request)
    p.add_argument("--query-clients", type=int, default=Options.query_clients)
    p.add_argument("--block-units", type=int, default=Options.block_units)
    p.add_argument("--history-records", type=int, default=Options.history_records,
                   help="award records in the search_history province")
    p.add_argument("--search-clients", type=int, default=Options.search_clients,
                   help="concurrent clients of search_history")
    p.add_argument("--asof-clients", type=int, default=Options.asof_clients,
                   help="concurrent clients of query_standings_as_of / _effective_on")
    p.add_argument("--decision-recipients", type=int, default=Options.decision_recipients,
                   help="recipients of each decision in decide_large_decision")
    p.add_argument("--merge-events", type=int, default=Options.merge_events,
                   help="events of each of the three provinces merge_provinces merges")
    p.add_argument("--hosted-provinces", type=int, default=Options.hosted_provinces,
                   help="provinces of hosted_instance's instance")
    p.add_argument("--hosted-scale", type=float, default=Options.hosted_scale,
                   help="multiple of the year-end week's rate hosted_instance offers")
    p.add_argument("--hosted-duration", type=float, default=Options.hosted_duration,
                   help="seconds hosted_instance measures (its rates are low: a longer window)")
    p.add_argument("--hosted-province-pool", type=int, default=Options.hosted_province_pool,
                   help="connections kept per province and server process (THIDUA_PROVINCE_POOL_SIZE)")
    p.add_argument("--hosted-workers", type=int, default=Options.hosted_workers,
                   help="server processes of hosted_instance (thidua serve --workers)")
    p.add_argument("--freshness-rate", type=float, default=Options.freshness_rate, help="writes/s")
    p.add_argument("--subscribers", type=int, default=Options.subscribers,
                   help="WebSocket subscribers (subscription_delay)")
    p.add_argument("--excel-rows", type=int, default=Options.excel_rows,
                   help="rows imported by import_excel_staff")
    p.add_argument("--excel-memory-rows", type=int, default=Options.excel_memory_rows,
                   help="also check (dry run) a file of this many rows for its peak memory")
    p.add_argument("--register-rows", type=int, default=Options.register_rows,
                   help="recipient lines exported by export_register_xlsx")
    p.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR, help="embedded PostgreSQL and caches")
    p.add_argument("--regenerate", action="store_true", help="rebuild the cached large province")
    p.add_argument("--server-log-level", default="INFO", choices=("DEBUG", "INFO", "WARNING", "ERROR"))
    p.add_argument("--server-workers", type=int, default=Options.server_workers,
                   help="server processes of the product (thidua serve --workers)")
    p.add_argument("--profile", action="store_true", help="py-spy the product server while measured")
    p.add_argument("--variant", choices=sorted(VARIANTS), default=None,
                   help="serve the product with one proposed change (what-if; see bench/variants.py)")
    p.add_argument("--results-dir", type=Path, default=None, help="where latest.json goes")
    a = p.parse_args(argv)
    return Options(
        only=tuple(a.only) if a.only else CASES,
        duration=a.duration,
        warmup=a.warmup,
        events=a.events,
        rebuild_budget=a.rebuild_budget,
        rebuild_processes=a.rebuild_processes,
        write_clients=a.write_clients,
        provinces=a.provinces,
        ratings_per_request=a.ratings_per_request,
        query_clients=a.query_clients,
        block_units=a.block_units,
        freshness_rate=a.freshness_rate,
        subscribers=a.subscribers,
        excel_rows=a.excel_rows,
        excel_memory_rows=a.excel_memory_rows,
        register_rows=a.register_rows,
        history_records=a.history_records,
        search_clients=a.search_clients,
        asof_clients=a.asof_clients,
        decision_recipients=a.decision_recipients,
        merge_events=a.merge_events,
        hosted_provinces=a.hosted_provinces,
        hosted_scale=a.hosted_scale,
        hosted_duration=a.hosted_duration,
        hosted_province_pool=a.hosted_province_pool,
        hosted_workers=a.hosted_workers,
        data_dir=a.data_dir.resolve(),
        regenerate=a.regenerate,
        server_log_level=a.server_log_level,
        server_workers=a.server_workers,
        profile=a.profile,
        variant=a.variant,
        results_dir=a.results_dir,
    )
