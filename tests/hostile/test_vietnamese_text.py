"""Vietnamese text round-trips exactly; the normal form is NFC (dạng chuẩn hóa NFC).

Decision (docs/reliability.md): text is stored and compared in NFC, the form Vietnamese
keyboards and the national standard TCVN 6909 produce. A name typed in NFD (decomposed: "ê" as
"e" + U+0302, as some macOS input and copied PDFs give) must come back NFC. The API does it at
its boundary, for every string argument of every root field (graphql/core/text.py). Keys are
ASCII (domain/keys.py), so a key with Vietnamese letters is refused in either form.
"""

from __future__ import annotations

import json
import unicodedata
import uuid

import psycopg
import pytest

from tests.hostile.judge import judge
from tests.hostile.schema_walk import post
from tests.hostile.world import FUZZ, World
from thidua.domain.ids import aggregate_id
from thidua.services.tenancy import schema_for

REGISTER = "mutation($input: RegisterUnitInput!) { registerUnit(input: $input) { ok errors { code field } } }"
NAMES = [
    "Khối thi đua các cơ quan Đảng",
    "Sở Nông nghiệp và Phát triển nông thôn",
    "Chiến sĩ thi đua cấp tỉnh – Hoàn thành xuất sắc nhiệm vụ",
    "Ủy ban nhân dân tỉnh Thừa Thiên Huế",
]


def _register(world: World, key: str, name: str) -> dict[str, object]:
    token = world.bearer(FUZZ, "province_admin")
    body = judge(post(world.served.url, REGISTER, {"input": {"key": key, "name": name}}, authorization=token))
    payload: dict[str, object] = body["data"]["registerUnit"]
    return payload


def _stored_name(world: World, key: str) -> str:
    with psycopg.connect(world.params.psycopg_conninfo(), autocommit=True) as conn:
        row = conn.execute(
            f"SELECT state FROM {schema_for(FUZZ)}.ledger_events WHERE originator_id = %s "
            "ORDER BY originator_version LIMIT 1",
            (aggregate_id(FUZZ, "unit", key),),
        ).fetchone()
    assert row is not None
    return str(json.loads(bytes(row[0]))["name"])


@pytest.mark.parametrize("name", NAMES)
def test_a_vietnamese_name_in_nfc_round_trips_byte_for_byte(world: World, name: str) -> None:
    key = f"vn-{uuid.uuid4().hex[:8]}"
    assert _register(world, key, name)["ok"]
    stored = _stored_name(world, key)
    assert stored == name
    assert stored.encode() == name.encode()


def test_a_name_sent_in_nfd_is_stored_in_nfc(world: World) -> None:
    key = f"vn-{uuid.uuid4().hex[:8]}"
    name = unicodedata.normalize("NFD", NAMES[0])
    assert _register(world, key, name)["ok"]
    assert _stored_name(world, key) == unicodedata.normalize("NFC", name)


def test_a_key_with_vietnamese_letters_is_refused_in_either_normal_form(world: World) -> None:
    key = f"sở-{uuid.uuid4().hex[:6]}"
    head = world.head(FUZZ)
    for spelling in (key, unicodedata.normalize("NFD", key)):
        refused = _register(world, spelling, "Sở A")
        assert refused["ok"] is False
        assert refused["errors"] == [{"code": "MALFORMED_COMMAND", "field": "key"}]
    assert world.head(FUZZ) == head
