"""Tamper evidence: the chain verifies untouched data and finds edits, deletions and reorders."""

from __future__ import annotations

import asyncio
import threading

import psycopg
import pytest
from eventsourcing.domain import Aggregate
from structlog.testing import capture_logs

from thidua.services.database import ConnectionParams
from thidua.services.errors import ProvinceNotFound
from thidua.services.ledger import Checkpoint, InvalidCheckpoint, ledger_head, verify_ledger
from thidua.services.ledger_chain import GENESIS
from thidua.services.ledger_witness import LedgerWitness
from thidua.services.runtime import Runtime

TABLE = "p_nghe_an.ledger_events"


class Probe(Aggregate):
    """A throwaway aggregate: the chain is about stored rows, whatever the domain."""

    def __init__(self, label: str) -> None:
        self.label = label

    def relabel(self, label: str) -> None:
        self.trigger_event(self.Relabelled, label=label)

    class Relabelled(Aggregate.Event):
        label: str

        def apply(self, aggregate: Aggregate) -> None:
            aggregate.label = self.label  # type: ignore[attr-defined]


def bulk_events(params: ConnectionParams, table: str, count: int) -> None:
    """Append `count` generic events in one statement; the chain trigger hashes each row."""
    with psycopg.connect(params.psycopg_conninfo(), autocommit=True) as conn:
        conn.execute(
            f"INSERT INTO {table} (originator_id, originator_version, topic, state) "
            "SELECT gen_random_uuid(), 1, 'bench:Generated', "
            "convert_to(json_build_object('n', n, 'label', 'sự kiện ' || n)::text, 'UTF8') "
            "FROM generate_series(1, %s) AS n",
            (count,),
        )


def tamper(params: ConnectionParams, *statements: str) -> None:
    """What a malicious operator with superuser rights does: drop the guard, then edit."""
    with psycopg.connect(params.psycopg_conninfo()) as conn:
        conn.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER ledger_immutable")
        for statement in statements:
            conn.execute(statement)
        conn.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER ledger_immutable")


@pytest.fixture
def nghe_an(runtime: Runtime, database: ConnectionParams) -> ConnectionParams:
    """Nghệ An with 30 events of the throwaway aggregate, several saved in one transaction."""
    runtime.registry.create_province("nghe-an", "Tỉnh Nghệ An", created_by="op")
    app = runtime.registry.app("nghe-an")
    probes = [Probe(f"p{i}") for i in range(10)]
    app.save(*probes)  # ten rows in one INSERT: the trigger must chain them in order
    for probe in probes:
        probe.relabel(probe.label + "'")
        probe.relabel(probe.label + "'")
        app.save(probe)
    return database


async def test_untouched_history_verifies(runtime: Runtime, nghe_an: ConnectionParams) -> None:
    report = await verify_ledger(runtime.read_pool, "nghe-an")
    head = await ledger_head(runtime.read_pool, "nghe-an")
    assert report.ok, report.summary()
    assert report.events_checked == 30
    assert report.recomputed_head_hash == report.stored_head_hash == head.hash
    assert report.head_position == head.position
    assert report.first_bad_position is None


async def test_an_empty_province_has_the_genesis_head(runtime: Runtime) -> None:
    runtime.registry.create_province("ninh-binh", "Tỉnh Ninh Bình", created_by="op")
    head = await ledger_head(runtime.read_pool, "ninh-binh")
    assert head.checkpoint == f"{GENESIS.hex()}@0"
    report = await verify_ledger(runtime.read_pool, "ninh-binh", against=head.checkpoint)
    assert report.ok
    assert report.events_checked == 0


async def test_an_unknown_province_cannot_be_verified(runtime: Runtime) -> None:
    with pytest.raises(ProvinceNotFound):
        await verify_ledger(runtime.read_pool, "ha-giang")


async def test_an_edited_payload_is_found_at_its_position(
    runtime: Runtime, nghe_an: ConnectionParams
) -> None:
    tamper(
        nghe_an,
        f"UPDATE {TABLE} SET state = convert_to(replace(convert_from(state, 'UTF8'), "
        "'p4', 'p9'), 'UTF8') WHERE notification_id = 5",
    )
    report = await verify_ledger(runtime.read_pool, "nghe-an")
    assert not report.ok
    assert report.first_bad_position == 5
    assert report.break_count == 1  # later rows still link to the stored hash of row 5
    assert "position 5" in report.summary()


async def test_a_deleted_row_is_found_where_the_chain_resumes(
    runtime: Runtime, nghe_an: ConnectionParams
) -> None:
    tamper(nghe_an, f"DELETE FROM {TABLE} WHERE notification_id = 17")
    report = await verify_ledger(runtime.read_pool, "nghe-an")
    assert not report.ok
    assert report.first_bad_position == 18
    assert report.breaks[0].previous_position == 16  # the gap shows where a row went missing


async def test_deleting_the_newest_rows_is_found_against_a_kept_checkpoint(
    runtime: Runtime, nghe_an: ConnectionParams
) -> None:
    head = await ledger_head(runtime.read_pool, "nghe-an")
    tamper(nghe_an, f"DELETE FROM {TABLE} WHERE notification_id >= 29")
    report = await verify_ledger(runtime.read_pool, "nghe-an", against=head.checkpoint)
    assert report.break_count == 0  # a truncated chain is internally consistent...
    assert not report.ok  # ...which is why auditors keep checkpoints outside the system
    assert report.against_ok is False
    assert "no event at position 30" in report.summary()


async def test_swapped_rows_are_found_at_the_first_of_them(
    runtime: Runtime, nghe_an: ConnectionParams
) -> None:
    tamper(
        nghe_an,
        f"UPDATE {TABLE} SET notification_id = -1 WHERE notification_id = 12",
        f"UPDATE {TABLE} SET notification_id = 12 WHERE notification_id = 13",
        f"UPDATE {TABLE} SET notification_id = 13 WHERE notification_id = -1",
    )
    report = await verify_ledger(runtime.read_pool, "nghe-an")
    assert not report.ok
    assert report.first_bad_position == 12


async def test_a_row_inserted_into_the_middle_is_found_even_with_a_well_formed_hash(
    runtime: Runtime, nghe_an: ConnectionParams
) -> None:
    tamper(
        nghe_an,
        # Make room at position 20, then forge a row there hashed as if it followed row 19.
        f"UPDATE {TABLE} SET notification_id = -(notification_id + 1) WHERE notification_id >= 20",
        f"UPDATE {TABLE} SET notification_id = -notification_id WHERE notification_id < 0",
        f"ALTER TABLE {TABLE} DISABLE TRIGGER ledger_chain",
        f"""
        INSERT INTO {TABLE} (notification_id, originator_id, originator_version, topic, state,
                             chain_hash)
        SELECT 20, o, 1, 'x:Forged', '\\x7b7d'::bytea,
               sha256(chain_hash || uuid_send(o) || int8send(1) || int4send(8)
                      || convert_to('x:Forged', 'UTF8') || int4send(2) || '\\x7b7d'::bytea)
        FROM {TABLE}, gen_random_uuid() AS o WHERE notification_id = 19
        """,
        f"ALTER TABLE {TABLE} ENABLE TRIGGER ledger_chain",
    )
    report = await verify_ledger(runtime.read_pool, "nghe-an")
    assert not report.ok
    assert report.events_checked == 31
    assert report.first_bad_position == 21  # the forged row links, the next one no longer does


async def test_an_overwritten_or_erased_hash_is_found_at_its_row(
    runtime: Runtime, nghe_an: ConnectionParams
) -> None:
    tamper(
        nghe_an,
        f"UPDATE {TABLE} SET chain_hash = sha256('forged'::bytea) WHERE notification_id = 9",
        f"UPDATE {TABLE} SET chain_hash = NULL WHERE notification_id = 22",
    )
    report = await verify_ledger(runtime.read_pool, "nghe-an")
    assert [(b.position, b.reason) for b in report.breaks] == [
        (9, "hash_mismatch"),  # row 10 still follows from the true history: not a break
        (22, "hash_missing"),
    ]


async def test_rewriting_every_hash_after_an_edit_fails_against_an_older_checkpoint(
    runtime: Runtime, nghe_an: ConnectionParams
) -> None:
    kept = (await ledger_head(runtime.read_pool, "nghe-an")).checkpoint
    # The operator edits row 3, then recomputes the whole chain so that it links up again.
    tamper(
        nghe_an,
        f"UPDATE {TABLE} SET state = convert_to(replace(convert_from(state, 'UTF8'), "
        "'p2', 'p7'), 'UTF8') WHERE notification_id = 3",
        f"""
        DO $$
        DECLARE r record; prev bytea := '\\x{GENESIS.hex()}'::bytea; tb bytea;
        BEGIN
          FOR r IN SELECT * FROM {TABLE} ORDER BY notification_id LOOP
            tb := convert_to(r.topic, 'UTF8');
            prev := sha256(prev || uuid_send(r.originator_id) || int8send(r.originator_version)
                           || int4send(octet_length(tb)) || tb
                           || int4send(octet_length(r.state)) || r.state);
            UPDATE {TABLE} SET chain_hash = prev WHERE notification_id = r.notification_id;
          END LOOP;
        END $$
        """,
    )
    report = await verify_ledger(runtime.read_pool, "nghe-an", against=kept)
    assert report.break_count == 0
    assert report.against_ok is False
    assert not report.ok


async def test_a_checkpoint_from_the_past_still_matches_after_more_events(
    runtime: Runtime, nghe_an: ConnectionParams
) -> None:
    kept = (await ledger_head(runtime.read_pool, "nghe-an")).checkpoint
    bulk_events(nghe_an, TABLE, 3_000)
    report = await verify_ledger(runtime.read_pool, "nghe-an", against=kept)
    assert report.ok, report.summary()
    assert report.events_checked == 3_030
    assert report.against_ok is True


async def test_progress_is_reported_while_verifying(runtime: Runtime, nghe_an: ConnectionParams) -> None:
    bulk_events(nghe_an, TABLE, 2_000)
    seen: list[tuple[int, int]] = []
    await verify_ledger(runtime.read_pool, "nghe-an", progress=lambda n, t: seen.append((n, t)))
    assert seen[-1] == (2_030, 2_030)


@pytest.mark.parametrize("text", ["", "abc@1", f"{'0' * 64}", f"{'g' * 64}@3", f"{'0' * 64}@-1"])
def test_malformed_checkpoints_are_refused(text: str) -> None:
    with pytest.raises(InvalidCheckpoint):
        Checkpoint.parse(text)


async def test_verifying_while_events_are_being_recorded_sees_an_intact_snapshot(
    runtime: Runtime, nghe_an: ConnectionParams
) -> None:
    bulk_events(nghe_an, TABLE, 20_000)
    app = runtime.registry.app("nghe-an")
    stop = threading.Event()

    def write() -> None:
        while not stop.is_set():
            app.save(*(Probe("ghi song song") for _ in range(5)))

    writer = threading.Thread(target=write)
    writer.start()
    try:
        reports = [await verify_ledger(runtime.read_pool, "nghe-an") for _ in range(4)]
    finally:
        stop.set()
        writer.join()
    assert all(r.ok for r in reports), [r.summary() for r in reports]
    assert reports[-1].events_checked > reports[0].events_checked >= 20_030
    final = await verify_ledger(runtime.read_pool, "nghe-an")
    assert final.ok


async def test_the_witness_logs_each_moved_head_once_and_it_verifies_later(
    runtime: Runtime, nghe_an: ConnectionParams
) -> None:
    witness = LedgerWitness(runtime.read_pool, interval_s=0.05)
    with capture_logs() as logged:
        await witness.start()
        await asyncio.sleep(0.3)  # several rounds, one head: one line
        runtime.registry.app("nghe-an").save(Probe("sau"))
        await asyncio.sleep(0.3)
        await witness.stop()
    lines = [e for e in logged if e["event"] == "ledger_checkpoint"]
    assert [e["position"] for e in lines] == [30, 31]
    bulk_events(nghe_an, TABLE, 100)
    report = await verify_ledger(runtime.read_pool, "nghe-an", against=lines[0]["checkpoint"])
    assert report.ok


async def test_a_guard_left_switched_off_is_reported(runtime: Runtime, nghe_an: ConnectionParams) -> None:
    assert (await verify_ledger(runtime.read_pool, "nghe-an")).disabled_guards == []
    with psycopg.connect(nghe_an.psycopg_conninfo()) as conn:
        conn.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER ledger_immutable")
    report = await verify_ledger(runtime.read_pool, "nghe-an")
    assert report.ok  # nothing was changed yet...
    assert report.disabled_guards == ["ledger_immutable"]  # ...but the door was left open
    assert "warning: guard trigger(s) switched off: ledger_immutable" in report.summary()
