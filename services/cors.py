"""CORS (THIDUA_CORS_ORIGINS): which browser origins may call the API, through Litestar's support.

Off by default: a browser then refuses to let a page on another origin read the answers. Callers
authenticate with a bearer token, never a cookie, so credentials are not allowed; the token
travels in the Authorization header, which the preflight allows.
"""

from __future__ import annotations

from litestar.config.cors import CORSConfig

from thidua.services.settings import Settings

ALLOWED_HEADERS = ["authorization", "content-type", "x-request-id"]


def cors_config(settings: Settings) -> CORSConfig | None:
    origins = list(settings.ops.cors_origins)
    if not origins:
        return None
    return CORSConfig(
        allow_origins=origins,
        allow_methods=["GET", "POST", "OPTIONS"],
        allow_headers=ALLOWED_HEADERS,
        allow_credentials=False,
        expose_headers=["x-request-id"],
        max_age=600,
    )
