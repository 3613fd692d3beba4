"""The floor of `query_standings`: a plain Litestar JSON endpoint returning fixed bytes.

It does what the product's standings query does minus everything that is ours (token check,
GraphQL parsing and execution, the read-model query): read the POSTed body, answer with the same
bytes the product answered. Served by uvicorn like the product, one process, one worker.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import uvicorn
from litestar import Litestar, Request, get, post
from litestar.response import Response


def create_floor_app(body: bytes) -> Litestar:
    @post("/graphql", status_code=200)
    async def answer(request: Request[Any, Any, Any]) -> Response[bytes]:
        await request.body()
        return Response(content=body, media_type="application/json")

    @get("/health", sync_to_thread=False)
    def health() -> dict[str, str]:
        return {"status": "ok"}

    return Litestar(route_handlers=[answer, health], debug=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--body", type=Path, required=True, help="file holding the response bytes")
    args = parser.parse_args()
    app = create_floor_app(args.body.read_bytes())
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_config=None, access_log=False)


if __name__ == "__main__":
    main()
