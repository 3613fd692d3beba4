"""Every province schema's steps, in order (`<schema>.schema_migrations` records them).

Adding one: write a function of a `ProvinceContext` (SQL through `ctx.run([...])`, names quoted
from `ctx.schema`) and append `Step(<next version>, "<what it does>", <function>)` below; never
edit a released step (README, "Adding a schema change").
"""

from __future__ import annotations

from thidua.services.attachments.store import attachments_ddl
from thidua.services.idempotency import TABLE as KEYS_TABLE
from thidua.services.ledger_append import append_ddl
from thidua.services.ledger_chain import chain_ddl
from thidua.services.ledger_closure import closure_ddl
from thidua.services.migrations.steps import ProvinceContext, Step, check_series


def baseline(ctx: ProvinceContext) -> None:
    """The event store as the release before versioning (cac36b0) made it: eventsourcing's
    tables, types and insert function with our idempotency keys (the recorder's own statements,
    run by the library: its composite types need their own transactions), the hash chain and its
    guards, the file store. All idempotent, so an existing schema is left as it was.

    The functions called here are the baseline's definition: a test pins their text
    (tests/integration/test_migrations.py), and a change to any of them is a new step."""
    ctx.recorder.create_table()
    ctx.run([*chain_ddl(ctx.schema), *attachments_ddl(ctx.schema)])


def ledger_closure(ctx: ProvinceContext) -> None:
    """A merged province's ledger refuses every insert after its closing event
    (services/ledger_closure.py)."""
    ctx.run(closure_ddl(ctx.schema))


def ledger_append(ctx: ProvinceContext) -> None:
    """Events, key and commit in one statement (services/ledger_append.py)."""
    recorder = ctx.recorder
    ctx.run(append_ddl(ctx.schema, recorder.events_table_name, recorder.stored_event_type_name, KEYS_TABLE))


PROVINCE_STEPS: list[Step[ProvinceContext]] = [
    Step(1, "baseline: event store, hash chain, idempotency keys, file store", baseline),
    Step(2, "ledger closure: a merged province's ledger closed at its head", ledger_closure),
    Step(3, "ledger append: events, idempotency key and commit in one statement", ledger_append),
]
check_series(PROVINCE_STEPS)
