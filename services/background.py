"""Background work started with the HTTP app: the projection host (in-process runner by default).

It is always registered as `runtime.services["projections"]`, so /ready and read-your-writes
work; with THIDUA_RUN_PROJECTIONS=false it only reports, and `thidua projections run` (a separate
worker process) keeps the read models. The projection signals wake the live subscriptions when
the read models move, whichever process moved them.
"""

from __future__ import annotations

from thidua.services.ledger_witness import LedgerWitness
from thidua.services.projection_hosts import projection_service
from thidua.services.projection_signals import ProjectionSignals
from thidua.services.runtime import Runtime
from thidua.services.servers import MAIN_SERVER


async def start_background_services(runtime: Runtime) -> None:
    """Start what runs beside the API; each is registered in `runtime.services` to be stopped."""
    servers = runtime.registry.servers
    others = [params for name, params in servers if name != MAIN_SERVER]
    signals = ProjectionSignals(runtime.params, others=others)
    runtime.services["projection_signals"] = signals
    await signals.start()
    host = projection_service(runtime.registry, run=runtime.settings.run_projections)
    runtime.services["projections"] = host
    await host.start()
    if runtime.settings.witness_interval_s > 0:
        witness = LedgerWitness(runtime.read_pool, interval_s=runtime.settings.witness_interval_s)
        runtime.services["ledger_witness"] = witness
        await witness.start()
