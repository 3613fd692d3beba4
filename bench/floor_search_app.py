"""The floor of `search_history`: a plain Litestar endpoint running the look-up's own statement.

It does what the product's `awardHistory` query does minus everything that is ours around the
read model (token check, GraphQL parsing, validation and execution, cursors, the consecutive
years): read the POSTed search, run the same SQL with asyncpg under the same row-level security
(`province_reader`), answer the rows as JSON. Served by uvicorn like the product, one process.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

import asyncpg
import uvicorn
from litestar import Litestar, Request, get, post
from litestar.response import Response

from thidua.projections.access import province_reader
from thidua.projections.lookup.queries import HistoryCriteria, page_sql
from thidua.services.database import ConnectionParams


def create_floor_app(url: str, province: str) -> Litestar:
    pools: list[asyncpg.Pool] = []

    async def open_pool(app: Litestar) -> None:
        pools.append(
            await asyncpg.create_pool(
                min_size=2, max_size=10, **ConnectionParams.from_url(url).asyncpg_kwargs()
            )
        )

    async def close_pool(app: Litestar) -> None:
        for pool in pools:
            await pool.close()

    @post("/graphql", status_code=200)
    async def answer(request: Request[Any, Any, Any]) -> Response[bytes]:
        variables = json.loads(await request.body()).get("variables") or {}
        sql, args = page_sql(
            province, HistoryCriteria(search=variables.get("search")), None, int(variables.get("first") or 20)
        )
        async with province_reader(pools[0], province) as conn:
            rows = await conn.fetch(sql, *args)
        body = {
            "data": {
                "awardHistory": [
                    {k: (v if isinstance(v, int | str | bool | type(None)) else str(v)) for k, v in r.items()}
                    for r in rows
                ]
            }
        }
        return Response(content=json.dumps(body, ensure_ascii=False).encode(), media_type="application/json")

    @get("/health", sync_to_thread=False)
    def health() -> dict[str, str]:
        return {"status": "ok"}

    return Litestar(
        route_handlers=[answer, health], on_startup=[open_pool], on_shutdown=[close_pool], debug=False
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--province", required=True)
    args = parser.parse_args()
    app = create_floor_app(args.database_url, args.province)
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_config=None, access_log=False)


if __name__ == "__main__":
    main()
