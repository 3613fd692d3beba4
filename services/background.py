"""Background work started with the HTTP app (the in-process projection runner, by default)."""

from __future__ import annotations

from thidua.services.runtime import Runtime


async def start_background_services(runtime: Runtime) -> None:
    """Start what runs beside the API; each is registered in `runtime.services` to be stopped."""
    if not runtime.settings.run_projections:
        return
    # The projection runner registers itself here (see services/projection_host.py).
