# mypy: disable-error-code="untyped-decorator"
"""A retried mutation never records twice: the mutation runner with idempotency keys."""

from __future__ import annotations

import asyncio
from dataclasses import asdict
from datetime import UTC, date, datetime
from typing import Annotated, Any

import pytest
import strawberry
from eventsourcing.domain import Aggregate
from strawberry.types import Info

from thidua.domain.errors import AlreadyRecorded
from thidua.domain.provenance import Actor, Provenance
from thidua.graphql.context import GraphQLContext
from thidua.graphql.core.commands import CommandInput, MutationPayload
from thidua.graphql.core.permissions import authorize
from thidua.graphql.core.shaping import ThiduaSchema
from thidua.graphql.schema import build_schema
from thidua.services.access import Target
from thidua.services.auth import Principal, Role
from thidua.services.dispatch import run_work
from thidua.services.province_app import ProvinceApplication
from thidua.services.runtime import Runtime


class Note(Aggregate):
    def __init__(self, text: str) -> None:
        self.text = text


@strawberry.input(description="A note.")
class WriteNoteInput(CommandInput):
    text: str = strawberry.field(description="Text.")


FAILURES: list[str] = []
RUNS: list[str] = []


def write(data: WriteNoteInput) -> Any:
    def command(app: ProvinceApplication, by: Any) -> int:
        RUNS.append(data.text)
        if data.text == "refuse":
            raise AlreadyRecorded("Đã ghi rồi.", field="text")
        if data.text == "crash" and "crash" not in FAILURES:
            FAILURES.append("crash")
            raise RuntimeError("lost the database")
        if data.text == "nothing":
            return 0  # a command that finds nothing to record (a repeated key destruction)
        position = app.position_of(app.save(Note(data.text)))
        if data.text == "crash-after-commit" and "after" not in FAILURES:
            FAILURES.append("after")
            raise RuntimeError("the process died after the COMMIT")
        return position

    return command


@strawberry.type(description="Root.")
class Query:
    @strawberry.field(description="Nothing.")
    def ping(self) -> str:
        return "pong"


@strawberry.type(description="Mutations.")
class Mutation:
    @strawberry.mutation(description="Write a note.")
    async def register_unit(
        self,
        info: Info[GraphQLContext, Any],
        input: WriteNoteInput,
        idempotency_key: Annotated[str | None, strawberry.argument(description="Key.")] = None,
    ) -> MutationPayload:
        # The dispatcher's runner with a command given as a function, to inject failures
        # around the commit (every real mutation reaches it through a typed command).
        context = info.context
        outcome = await run_work(
            context.runtime,
            authorize(info, "registerUnit"),
            "registerUnit",
            write(input),
            origin=input.origin(context.request_id),
            idempotency_key=idempotency_key,
            target=Target(),
            key=input.text,
            digested=asdict(input),
        )
        return MutationPayload.of(outcome)


schema = ThiduaSchema(query=Query, mutation=Mutation)
MUTATION = """mutation($text: String!, $key: String) {
  registerUnit(input: {text: $text}, idempotencyKey: $key) {
    ok position replayed key errors { code message field }
  }
}"""


def context(runtime: Runtime, subject: str) -> GraphQLContext:
    admin = Principal(subject, "nghe-an", frozenset({Role.PROVINCE_ADMIN}))
    return GraphQLContext(runtime=runtime, principal=admin, auth_error=None, request_id="r1", loaders={})


async def send(runtime: Runtime, text: str, key: str | None, subject: str = "admin") -> Any:
    result = await schema.execute(
        MUTATION, {"text": text, "key": key}, context_value=context(runtime, subject)
    )
    if result.errors:
        return {"errors": [e.formatted for e in result.errors]}
    assert result.data is not None
    return result.data["registerUnit"]


async def events(runtime: Runtime) -> int:
    async with runtime.read_pool.acquire() as conn:
        return int(await conn.fetchval("SELECT count(*) FROM p_nghe_an.ledger_events"))


async def test_a_retried_mutation_with_the_same_key_records_once(runtime: Runtime) -> None:
    await runtime.run_sync(lambda: runtime.registry.create_province("nghe-an", "Nghệ An", created_by="op"))
    first = await send(runtime, "một", "k-1")
    again = await send(runtime, "một", "k-1")
    assert first["ok"]
    assert not first["replayed"]
    assert again == {**first, "replayed": True}
    assert await events(runtime) == 1
    # Without a key, each request records.
    await send(runtime, "hai", None)
    await send(runtime, "hai", None)
    assert await events(runtime) == 3


async def test_concurrent_retries_with_one_key_record_once(runtime: Runtime) -> None:
    await runtime.run_sync(lambda: runtime.registry.create_province("nghe-an", "Nghệ An", created_by="op"))
    answers = await asyncio.gather(*(send(runtime, "cùng lúc", "k-2") for _ in range(5)))
    assert len({a["position"] for a in answers}) == 1
    assert sum(1 for a in answers if not a["replayed"]) == 1
    assert await events(runtime) == 1


async def test_reusing_a_key_for_another_input_is_refused(runtime: Runtime) -> None:
    await runtime.run_sync(lambda: runtime.registry.create_province("nghe-an", "Nghệ An", created_by="op"))
    await send(runtime, "một", "k-3")
    answer = await send(runtime, "khác", "k-3")
    assert answer["errors"][0]["extensions"]["code"] == "IDEMPOTENCY_KEY_REUSED"


async def test_a_refusal_is_part_of_the_payload_and_replayed_the_same(runtime: Runtime) -> None:
    await runtime.run_sync(lambda: runtime.registry.create_province("nghe-an", "Nghệ An", created_by="op"))
    first = await send(runtime, "refuse", "k-4")
    assert first["ok"] is False
    assert first["position"] is None
    assert first["errors"] == [{"code": "ALREADY_RECORDED", "message": "Đã ghi rồi.", "field": "text"}]
    assert (await send(runtime, "refuse", "k-4"))["replayed"] is True


async def test_an_unexpected_failure_releases_the_key_so_a_retry_records(runtime: Runtime) -> None:
    await runtime.run_sync(lambda: runtime.registry.create_province("nghe-an", "Nghệ An", created_by="op"))
    failed = await send(runtime, "crash", "k-5")
    assert failed["errors"][0]["extensions"]["code"] == "INTERNAL_ERROR"
    assert "lost the database" not in str(failed)
    retried = await send(runtime, "crash", "k-5")
    assert retried["ok"]
    assert not retried["replayed"]
    assert await events(runtime) == 1


async def test_a_key_is_its_user_s_own_another_user_of_the_province_runs_their_command(
    runtime: Runtime,
) -> None:
    await runtime.run_sync(lambda: runtime.registry.create_province("nghe-an", "Nghệ An", created_by="op"))
    mine = await send(runtime, "một", "k-6", subject="can-bo-a")
    theirs = await send(runtime, "một", "k-6", subject="can-bo-b")
    assert mine["ok"]
    assert theirs["ok"]
    assert not theirs["replayed"]
    assert theirs["position"] != mine["position"]
    assert await events(runtime) == 2
    assert (await send(runtime, "một", "k-6", subject="can-bo-b")) == {**theirs, "replayed": True}


async def test_a_command_whose_process_fails_after_the_commit_is_not_run_again(runtime: Runtime) -> None:
    """The key was recorded with the events: the retry hears the recorded outcome."""
    await runtime.run_sync(lambda: runtime.registry.create_province("nghe-an", "Nghệ An", created_by="op"))
    failed = await send(runtime, "crash-after-commit", "k-7")
    assert failed["errors"][0]["extensions"]["code"] == "INTERNAL_ERROR"
    retried = await send(runtime, "crash-after-commit", "k-7")
    assert retried["ok"]
    assert retried["replayed"]
    assert retried["position"] == 1
    assert await events(runtime) == 1


async def test_a_command_that_records_nothing_answers_its_first_outcome_without_running_again(
    runtime: Runtime,
) -> None:
    await runtime.run_sync(lambda: runtime.registry.create_province("nghe-an", "Nghệ An", created_by="op"))
    RUNS.clear()
    first = await send(runtime, "nothing", "k-8")
    again = await send(runtime, "nothing", "k-8")
    assert first["ok"]
    assert first["position"] == 0
    assert not first["replayed"]
    assert again == {**first, "replayed": True}
    assert RUNS == ["nothing"]
    assert await events(runtime) == 0


CLOSE = """mutation($ballot: String!, $key: String) {
  closeBallot(input: {ballot: $ballot}, idempotencyKey: $key) { ok position replayed errors { code } }
}"""


async def test_a_ballot_closed_under_a_key_is_counted_even_when_the_process_dies_in_between(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """closeBallot closes and counts. If those were two saves, the key (recorded with the first)
    would answer "ok" to the retry of a process that died between them, and the ballot would
    stay closed but never counted."""
    units = ["so-a", "so-b", "so-c"]

    def seed() -> None:
        runtime.registry.create_province("nghe-an", "Nghệ An", created_by="op")
        app = runtime.registry.app("nghe-an")
        for unit in units:
            app.register_unit(key=unit, name=f"Sở {unit}", by=_by())
        app.create_block(key="khoi", name="Khối", kind="block", by=_by())
        app.open_block_year(block="khoi", year=2025, members=units, members_claimed=None, by=_by())
        app.open_ballot(
            key="dua", purpose="classification", subject=units[0], award=None, secret=False,
            question="approve", electorate="block_members", block="khoi", year=2025,
            options=["approve", "reject"], by=_by(),
        )  # fmt: skip
        for unit in units:  # each unit's clerk votes for their unit
            app.cast_open_vote(key="dua", voter=unit, choice="approve", by=_by("unit_clerk", unit))

    await runtime.run_sync(seed)
    app = runtime.registry.app("nghe-an")
    real_save = app.save
    saves: list[int] = []

    def dies_after_the_first_save(*objs: Any, **kwargs: Any) -> Any:
        if saves:
            raise RuntimeError("the process died between two saves")
        saves.append(1)
        return real_save(*objs, **kwargs)

    monkeypatch.setattr(app, "save", dies_after_the_first_save)
    full = build_schema()
    admin = context(runtime, "admin")
    first = await full.execute(CLOSE, {"ballot": "dua", "key": "dong-1"}, context_value=admin)
    monkeypatch.setattr(app, "save", real_save)  # the process restarted
    retried = await full.execute(CLOSE, {"ballot": "dua", "key": "dong-1"}, context_value=admin)
    assert app.get_ballot("dua")["status"] == "tallied"
    assert first.data is not None
    assert first.data["closeBallot"]["ok"], first
    assert retried.data is not None
    assert retried.data["closeBallot"]["ok"], retried
    assert retried.data["closeBallot"]["replayed"]


def _by(role: str = "province_admin", unit: str | None = None) -> Provenance:
    return Provenance(
        Actor(f"seed-{unit or role}", role, unit), datetime.now(UTC), date(2025, 12, 20), "seed"
    )
