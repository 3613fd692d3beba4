# mypy: disable-error-code="untyped-decorator"
"""A retried mutation never records twice: the mutation runner with idempotency keys."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

import strawberry
from eventsourcing.domain import Aggregate
from strawberry.types import Info

from thidua.domain.errors import AlreadyRecorded
from thidua.graphql.context import GraphQLContext
from thidua.graphql.core.commands import CommandInput, MutationPayload, run_mutation
from thidua.graphql.core.shaping import ThiduaSchema
from thidua.services.auth import Principal, Role
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
        outcome = await run_mutation(
            info, "registerUnit", input, write(input), idempotency_key=idempotency_key, key=input.text
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
