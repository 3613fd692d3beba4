"""The foundation: provinces, one event store per province, the hash chain, the guards."""

from __future__ import annotations

import psycopg
import pytest
from eventsourcing.domain import Aggregate

from thidua.services.database import ConnectionParams
from thidua.services.errors import InvalidProvinceCode, ProvinceAlreadyExists, ProvinceNotFound
from thidua.services.ledger_chain import GENESIS, next_hash
from thidua.services.registry import ProvinceRegistry


class Probe(Aggregate):
    """A throwaway aggregate: the foundation must not depend on the domain's."""

    def __init__(self, label: str) -> None:
        self.label = label


def test_two_provinces_keep_their_events_in_their_own_schemas(
    registry: ProvinceRegistry, database: ConnectionParams
) -> None:
    registry.create_province("nghe-an", "Tỉnh Nghệ An", created_by="op")
    registry.create_province("ninh-binh", "Tỉnh Ninh Bình", created_by="op")
    a = Probe("nghe-an only")
    registry.app("nghe-an").save(a)
    b = Probe("ninh-binh only")
    registry.app("ninh-binh").save(b)

    with psycopg.connect(database.psycopg_conninfo()) as conn:
        na = conn.execute("SELECT originator_id FROM p_nghe_an.ledger_events").fetchall()
        nb = conn.execute("SELECT originator_id FROM p_ninh_binh.ledger_events").fetchall()
    assert [r[0] for r in na] == [a.id]
    assert [r[0] for r in nb] == [b.id]
    assert registry.app("nghe-an").repository.get(a.id).label == "nghe-an only"
    assert b.id not in registry.app("nghe-an").repository


def test_creating_a_province_twice_is_refused(registry: ProvinceRegistry) -> None:
    registry.create_province("nghe-an", "Tỉnh Nghệ An", created_by="op")
    with pytest.raises(ProvinceAlreadyExists) as err:
        registry.create_province("nghe-an", "Nghệ An", created_by="op")
    assert err.value.code == "PROVINCE_ALREADY_EXISTS"


@pytest.mark.parametrize(
    "code", ["Nghe-An", "1tinh", "a", "nghe_an", "x" * 40, "p; DROP SCHEMA", "nghe-an-", ""]
)
def test_invalid_province_codes_are_refused(registry: ProvinceRegistry, code: str) -> None:
    with pytest.raises(InvalidProvinceCode):
        registry.create_province(code, "x", created_by="op")


def test_an_unknown_province_is_an_error_not_an_empty_history(registry: ProvinceRegistry) -> None:
    with pytest.raises(ProvinceNotFound):
        registry.app("ha-giang")


def test_the_chain_hash_is_computed_by_the_database_and_reproducible(
    registry: ProvinceRegistry, database: ConnectionParams
) -> None:
    registry.create_province("nghe-an", "Tỉnh Nghệ An", created_by="op")
    app = registry.app("nghe-an")
    for i in range(3):
        app.save(Probe(f"p{i}"))
    with psycopg.connect(database.psycopg_conninfo()) as conn:
        rows = conn.execute(
            "SELECT originator_id, originator_version, topic, state, chain_hash "
            "FROM p_nghe_an.ledger_events ORDER BY notification_id"
        ).fetchall()
    previous = GENESIS
    for originator_id, version, topic, state, stored in rows:
        previous = next_hash(previous, originator_id, version, topic, bytes(state))
        assert bytes(stored) == previous


def test_events_can_be_neither_updated_nor_deleted(
    registry: ProvinceRegistry, database: ConnectionParams
) -> None:
    registry.create_province("nghe-an", "Tỉnh Nghệ An", created_by="op")
    registry.app("nghe-an").save(Probe("keep me"))
    with psycopg.connect(database.psycopg_conninfo()) as conn:
        for statement in (
            "UPDATE p_nghe_an.ledger_events SET topic = 'x'",
            "DELETE FROM p_nghe_an.ledger_events",
            "TRUNCATE p_nghe_an.ledger_events",
        ):
            with pytest.raises(psycopg.errors.RaiseException):
                conn.execute(statement)
            conn.rollback()
