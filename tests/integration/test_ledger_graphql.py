"""An auditor over GraphQL: keep a checkpoint, later prove history unchanged, or find the edit."""

from __future__ import annotations

from typing import Any

import httpx
import psycopg
from eventsourcing.domain import Aggregate

from tests.conftest import ServedApp
from thidua.services.database import ConnectionParams
from thidua.services.registry import ProvinceRegistry

LEDGER = """
query($against: String) {
  ledger { headPosition checkpoint
           verify(against: $against) { ok eventsChecked firstBadPosition againstOk summary
                                       breaks { position previousPosition reason } } }
}
"""


class Probe(Aggregate):
    def __init__(self, label: str) -> None:
        self.label = label


def ask(served: ServedApp, against: str | None = None) -> Any:
    token = served.token("nghe-an", "auditor", user="thanh-tra")
    response = httpx.post(
        f"{served.url}/graphql",
        json={"query": LEDGER, "variables": {"against": against}},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    return response.json()


def test_an_auditor_keeps_a_checkpoint_and_later_finds_the_edited_event(
    served_app: ServedApp, database: ConnectionParams
) -> None:
    registry = ProvinceRegistry(database)
    try:
        registry.create_province("nghe-an", "Tỉnh Nghệ An", created_by="op")
        for i in range(6):
            registry.app("nghe-an").save(Probe(f"Đơn vị {i}"))
    finally:
        registry.close()

    first = ask(served_app)["data"]["ledger"]
    kept = first["checkpoint"]
    assert first["verify"]["ok"] is True
    assert first["verify"]["eventsChecked"] == 6

    later = ask(served_app, kept)["data"]["ledger"]["verify"]
    assert (later["ok"], later["againstOk"]) == (True, True)

    with psycopg.connect(database.psycopg_conninfo()) as conn:
        conn.execute("ALTER TABLE p_nghe_an.ledger_events DISABLE TRIGGER ledger_immutable")
        conn.execute(
            "UPDATE p_nghe_an.ledger_events SET state = convert_to(replace("
            "convert_from(state, 'UTF8'), 'Đơn vị 3', 'Đơn vị 9'), 'UTF8') "
            "WHERE notification_id = 4"
        )
    tampered = ask(served_app, kept)["data"]["ledger"]["verify"]
    assert tampered["ok"] is False
    assert tampered["againstOk"] is False
    assert tampered["firstBadPosition"] == 4
    assert tampered["breaks"] == [{"position": 4, "previousPosition": 3, "reason": "hash_mismatch"}]
    assert tampered["summary"].startswith("TAMPERED")

    refused = ask(served_app, "not-a-checkpoint")
    assert refused["errors"][0]["extensions"]["code"] == "INVALID_CHECKPOINT"
