"""The base salary (mức lương cơ sở) adopted by the platform operator, in every province.

A change of the base salary is decreed nationally (after Decree 73/2024: 2,340,000 đồng from
1 Jul 2024, the last one the ledger ships with). The operator records it with its decree: one
`BaseSalaryAdopted` event in each province's rule book, under one correlation id, so that every
province's own history carries the value its decisions were priced with (an export re-imported
elsewhere prices the same). A province created later receives the adoptions already made.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime

import psycopg
import structlog
from eventsourcing.utils import get_topic
from psycopg.sql import SQL, Identifier

from thidua.domain.errors import AlreadyRecorded
from thidua.domain.prizes import BaseSalary
from thidua.domain.provenance import Actor, Provenance
from thidua.domain.rulebook import RuleBook
from thidua.domain.sources import Source
from thidua.services.registry import ProvinceRegistry

log = structlog.get_logger()
ADOPTED_TOPIC = get_topic(RuleBook.BaseSalaryAdopted)


@dataclass(frozen=True)
class Adoption:
    province: str
    position: int | None  # None: the province had it already


def _by(operator: str, correlation_id: str) -> Provenance:
    now = datetime.now(UTC)
    return Provenance(Actor(operator, "platform_operator", None), now, now.date(), correlation_id)


def adopt_everywhere(
    registry: ProvinceRegistry,
    *,
    amount: int,
    effective_from: date,
    legal_basis: str,
    article: str,
    operator: str,
) -> list[Adoption]:
    """Record the base salary in every province (idempotent: one already recorded is skipped)."""
    by = _by(operator, f"base-salary-{uuid.uuid4()}")
    done = []
    for info in registry.list_provinces():
        try:
            position = registry.app(info.code).adopt_base_salary(
                amount=amount, effective_from=effective_from, legal_basis=legal_basis, article=article, by=by
            )
        except AlreadyRecorded:
            done.append(Adoption(info.code, None))
            continue
        done.append(Adoption(info.code, position))
    log.info(
        "base_salary_adopted", amount=amount, effective_from=effective_from.isoformat(), provinces=len(done)
    )
    return done


def adopted_salaries(registry: ProvinceRegistry, *, skip: str | None = None) -> list[BaseSalary]:
    """Every base salary the operator adopted, as the provinces' rule books recorded them (read
    from the stored events, without opening each province's application)."""
    found: dict[date, BaseSalary] = {}
    provinces = [info for info in registry.list_provinces() if info.code != skip]
    for server in sorted({info.server for info in provinces}):  # each read on its own server
        with psycopg.connect(registry.servers.params(server).psycopg_conninfo()) as conn:
            for info in (p for p in provinces if p.server == server):
                rows = conn.execute(
                    SQL(
                        "SELECT state FROM {}.ledger_events WHERE topic = %s ORDER BY notification_id"
                    ).format(Identifier(info.schema_name)),
                    (ADOPTED_TOPIC,),
                ).fetchall()
                for (state,) in rows:
                    data = json.loads(bytes(state))
                    salary = BaseSalary(
                        date.fromisoformat(data["effective_from"]["_data_"]),
                        int(data["amount"]),
                        Source(data["legal_basis"], data.get("article", "")),
                        data.get("actor_user"),
                    )
                    found.setdefault(salary.effective_from, salary)
    return sorted(found.values(), key=lambda s: s.effective_from)


def carry_to_new_province(registry: ProvinceRegistry, code: str, operator: str) -> int:
    """Give a newly created province the base salaries adopted before it existed."""
    salaries = adopted_salaries(registry, skip=code)
    by = _by(operator, f"base-salary-carried-{code}")
    app = registry.app(code)
    for salary in salaries:
        app.adopt_base_salary(
            amount=salary.amount,
            effective_from=salary.effective_from,
            legal_basis=salary.source.document,
            article=salary.source.article,
            by=by,
        )
    return len(salaries)
