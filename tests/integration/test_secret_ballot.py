"""A secret ballot end to end on PostgreSQL: sealed to its tellers, opened by k of their shares,
and nothing stored links a voter to a choice. (The operator's view of the raw files, the WAL and a
dump is in test_secret_ballot_operator.py.)"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime

import psycopg
import pytest

from tests.secret_ballots import TELLERS, open_secret_ballot
from thidua.domain.ballots import Ballot, BallotClosed, DuplicateVote
from thidua.domain.provenance import Actor, Provenance
from thidua.services.ballot_seal import BallotKeyNotStored, BallotSharesTooFew, BallotShareWrong
from thidua.services.database import ConnectionParams
from thidua.services.registry import ProvinceRegistry

VOTERS = [f"don-vi-{i}" for i in range(9)]
CHOICES = ["approve"] * 6 + ["reject"] * 2 + ["abstain"]


def by(user: str = "thu-ky", unit: str | None = None, role: str = "block_officer") -> Provenance:
    return Provenance(Actor(user, role, unit), datetime.now(UTC), date(2025, 12, 15), "ballot-test")


def clerk(unit: str) -> Provenance:
    """A member unit's clerk: the only one who casts the unit's paper."""
    return by(f"clerk-{unit}", unit, "unit_clerk")


@pytest.fixture
def province(registry: ProvinceRegistry) -> ProvinceRegistry:
    registry.create_province("nghe-an", "Tỉnh Nghệ An", created_by="op")
    app = registry.app("nghe-an")
    for key in VOTERS:
        app.register_unit(key=key, name=f"Đơn vị {key}", by=by())
    app.create_block(key="khoi-1", name="Khối 1", kind="block", by=by())
    app.open_block_year(block="khoi-1", year=2025, members=VOTERS, members_claimed=None, by=by())
    return registry


def rows(database: ConnectionParams, query: str) -> list[tuple[object, ...]]:
    with psycopg.connect(database.psycopg_conninfo()) as conn:
        return conn.execute(query).fetchall()


def test_secret_ballot_keeps_the_secret_and_the_tally_equals_the_papers(
    province: ProvinceRegistry, database: ConnectionParams
) -> None:
    app = province.app("nghe-an")
    shares = open_secret_ballot(app, "xep-loai-don-vi-0", by(), subject="don-vi-0")
    assert len(shares) == len(TELLERS)
    receipts = {}
    for voter, choice in zip(VOTERS, CHOICES, strict=True):
        _, receipts[voter] = app.cast_secret_vote(
            key="xep-loai-don-vi-0", voter=voter, choice=choice, by=clerk(voter)
        )
    with pytest.raises(DuplicateVote):
        app.cast_secret_vote(key="xep-loai-don-vi-0", voter="don-vi-0", choice="reject", by=clerk("don-vi-0"))
    # No table holds a key: there is none to hold.
    assert rows(database, "SELECT to_regclass('p_nghe_an.ballot_keys')::text") == [(None,)]

    # One share, or a wrong one, opens nothing and records nothing, not even the closing.
    head = app.recorder.max_notification_id() or 0
    with pytest.raises(BallotSharesTooFew):
        app.close_and_tally(
            key="xep-loai-don-vi-0", present=None, shares=shares[:1], tie_break_scores=None, by=by()
        )
    wrong = shares[1][:-1] + ("0" if shares[1][-1] != "0" else "1")
    with pytest.raises(BallotShareWrong) as named:
        app.close_and_tally(
            key="xep-loai-don-vi-0", present=None, shares=[shares[0], wrong], tie_break_scores=None, by=by()
        )
    assert named.value.details["teller"] == TELLERS[1]
    assert app.recorder.max_notification_id() == head
    assert app.get_ballot("xep-loai-don-vi-0")["status"] == "open"

    # Any two of the three tellers open it: closing and counting are one commit.
    app.close_and_tally(
        key="xep-loai-don-vi-0", present=None, shares=[shares[2], shares[0]], tie_break_scores=None, by=by()
    )
    assert app.recorder.max_notification_id() == head + 2
    ballot = app.get_ballot("xep-loai-don-vi-0")
    assert (ballot["status"], ballot["key_destroyed"]) == ("tallied", False)
    with pytest.raises(BallotClosed):
        app.cast_secret_vote(key="xep-loai-don-vi-0", voter="don-vi-0", choice="reject", by=clerk("don-vi-0"))
    with pytest.raises(BallotKeyNotStored):
        app.destroy_ballot_key(key="xep-loai-don-vi-0", by=by())

    # The tally is the sum of the published papers, and equals what was cast.
    result = ballot["result"]
    assert isinstance(result, dict)
    papers = result["papers"]
    assert Counter(p["choice"] for p in papers) == Counter(CHOICES)
    assert result["counts"] == dict(Counter(CHOICES))
    assert len(papers) == len(set(ballot["cast_by"])) == len(VOTERS)
    # Each voter finds their own paper by the receipt only they were given.
    published = {p["paper_id"]: p["choice"] for p in papers}
    assert all(published[receipts[v]] == c for v, c in zip(VOTERS, CHOICES, strict=True))

    # No stored byte of any table in the province's schema ties a voter to a paper id or a choice.
    stored = dump_schema(database, "p_nghe_an")
    casts = [row for row in stored if "SealedPaperCast" in row]
    assert len(casts) == len(VOTERS)
    assert all(any(voter in row for row in casts) for voter in VOTERS)
    for row in casts:
        assert not any(word in row for word in ("approve", "reject", "abstain"))
        assert not any(receipt in row for receipt in receipts.values())
    for row in stored:
        for voter in VOTERS:
            if voter in row:
                assert receipts[voter] not in row


def dump_schema(database: ConnectionParams, schema: str) -> list[str]:
    """Every row of every table in `schema` as text, bytea columns decoded (escape format)."""
    columns = rows(
        database,
        "SELECT table_name, column_name, data_type FROM information_schema.columns "
        f"WHERE table_schema = '{schema}' ORDER BY table_name, ordinal_position",
    )
    tables: dict[str, list[str]] = {}
    for table, column, kind in columns:
        expr = f"encode(\"{column}\", 'escape')" if kind == "bytea" else f'"{column}"::text'
        tables.setdefault(str(table), []).append(f"coalesce({expr}, '')")
    dumped = []
    for table, exprs in tables.items():
        query = f'SELECT concat_ws(\'|\', {", ".join(exprs)}) FROM "{schema}"."{table}"'
        dumped += [str(r[0]) for r in rows(database, query)]
    assert any("BallotTallied" in r or "Ballot.Tallied" in r for r in dumped), "events were decoded"
    return dumped


def test_sealed_papers_all_have_the_same_length(province: ProvinceRegistry) -> None:
    app = province.app("nghe-an")
    open_secret_ballot(app, "b2", by(), options=["approve", "reject", "Đồng ý có điều kiện " * 4 + "."])
    for voter, choice in zip(
        VOTERS[:3], ["approve", "reject", "Đồng ý có điều kiện " * 4 + "."], strict=True
    ):
        app.cast_secret_vote(key="b2", voter=voter, choice=choice, by=clerk(voter))
    events = [app.mapper.to_domain_event(n) for n in app.recorder.select_notifications(start=1, limit=500)]
    lengths = {len(e.sealed) for e in events if isinstance(e, Ballot.SealedPaperCast)}
    assert len(lengths) == 1


def test_an_open_ballot_records_each_vote(province: ProvinceRegistry) -> None:
    app = province.app("nghe-an")
    app.open_ballot(
        key="b3",
        purpose="officers",
        subject="khoi-1/2026",
        award=None,
        secret=False,
        question="elect",
        electorate="block_members",
        block="khoi-1",
        year=2025,
        options=["don-vi-1", "don-vi-2"],
        by=by(),
    )
    for voter in VOTERS[:7]:
        app.cast_open_vote(key="b3", voter=voter, choice="don-vi-1", by=clerk(voter))
    app.close_ballot(key="b3", present=None, by=by())
    position = app.tally_ballot(key="b3", tie_break_scores=None, by=by())
    assert position > 0
    assert app.get_ballot("b3")["result"]["winner"] == "don-vi-1"


def test_a_ballot_whose_shares_are_lost_is_recorded_unopenable_with_its_reason(
    province: ProvinceRegistry,
) -> None:
    app = province.app("nghe-an")
    open_secret_ballot(app, "b4", by())
    app.cast_secret_vote(key="b4", voter=VOTERS[0], choice="approve", by=clerk(VOTERS[0]))
    app.declare_ballot_unopenable(key="b4", reason="Hai người kiểm phiếu làm mất mảnh khóa.", by=by())
    ballot = app.get_ballot("b4")
    assert (ballot["status"], ballot["unopenable_reason"], ballot["result"]) == (
        "unopenable",
        "Hai người kiểm phiếu làm mất mảnh khóa.",
        None,
    )
    with pytest.raises(BallotClosed):
        app.cast_secret_vote(key="b4", voter=VOTERS[1], choice="approve", by=clerk(VOTERS[1]))
