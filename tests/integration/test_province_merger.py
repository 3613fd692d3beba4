"""Province mergers on PostgreSQL: the checks that refuse and record nothing, the closed ledger
(refused even to a process that opened it before the merger), the registry's lineage, successions
of people across provinces, and `thidua ledger verify --with-predecessors` as a real process."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import psycopg
import pytest

from tests.integration.test_ledger_cli import thidua
from tests.paperwork_files import sheet_values
from thidua.domain.errors import DomainError
from thidua.domain.lineage import (
    MergeIntoItself,
    MergerBeforeLastEvent,
    MergerCycle,
    ProvinceAlreadyMerged,
    ProvinceMerged,
)
from thidua.domain.provenance import Actor, Provenance
from thidua.services.database import ConnectionParams
from thidua.services.errors import ProvinceNotFound
from thidua.services.mergers import lineage, merge_provinces, successions
from thidua.services.registry import ProvinceRegistry
from thidua.services.successions import NotInLineage, PredecessorRef, record_succession

MERGER = date(2025, 7, 1)
BASIS = "Nghị quyết 202/2025/QH15"


def by(day: str, role: str = "province_admin") -> Provenance:
    return Provenance(Actor("op", role, None), datetime.now(UTC), date.fromisoformat(day), f"t-{day}")


def seed(registry: ProvinceRegistry, code: str, name: str, last_day: str = "2025-06-20") -> None:
    registry.create_province(code, name, created_by="op")
    app = registry.app(code)
    app.register_unit(key="so-noi-vu", name=f"Sở Nội vụ {name}", by=by("2020-01-01"))
    app.register_staff(
        key="nguyen-van-a",
        name="Nguyễn Văn A",
        unit="so-noi-vu",
        rating_group="specialists",
        by=by("2020-01-01"),
    )
    for year in (2023, 2024):
        app.record_decision(
            number=f"{year}/QĐ-{code}",
            signer="Giám đốc",
            authority="head_of_agency",
            award="chien_si_thi_dua_co_so",
            year=year,
            recipients=[("staff", "nguyen-van-a")],
            claimed_count=None,
            proposals=[],
            historical=True,
            by=by(f"{year}-12-20"),
        )
    app.rename_unit(key="so-noi-vu", name=f"Sở Nội vụ tỉnh {name}", by=by(last_day))


def heads(database: ConnectionParams) -> dict[str, int]:
    with psycopg.connect(database.psycopg_conninfo()) as conn:
        rows = conn.execute("SELECT code, schema_name FROM platform.provinces").fetchall()
        return {
            code: conn.execute(f'SELECT count(*) FROM "{schema}".ledger_events').fetchone()[0]  # type: ignore[index]
            for code, schema in rows
        }


def merge(
    registry: ProvinceRegistry, into: str, *codes: str, on: date = MERGER, name: str | None = None
) -> None:
    merge_provinces(
        registry,
        into=into,
        predecessors=list(codes),
        effective_on=on,
        basis=BASIS,
        by=by(on.isoformat(), "platform_operator"),
        into_name=name,
    )


@pytest.fixture
def provinces(registry: ProvinceRegistry) -> ProvinceRegistry:
    seed(registry, "ha-nam", "Hà Nam")
    seed(registry, "nam-dinh", "Nam Định", last_day="2025-06-28")
    seed(registry, "ninh-binh", "Ninh Bình")
    return registry


@pytest.mark.parametrize(
    ("into", "codes", "on", "error"),
    [
        ("ninh-binh", ("ninh-binh",), MERGER, MergeIntoItself),
        ("ninh-binh", ("ha-nam", "khong-co"), MERGER, ProvinceNotFound),
        ("moi", ("ha-nam",), MERGER, ProvinceNotFound),  # a new successor needs a name
        ("ninh-binh", ("ha-nam", "nam-dinh"), date(2025, 6, 25), MergerBeforeLastEvent),
    ],
)
def test_a_refused_merger_records_nothing(  # noqa: PLR0917 - fixtures, then the parameters
    provinces: ProvinceRegistry,
    database: ConnectionParams,
    into: str,
    codes: tuple[str, ...],
    on: date,
    error: type[Exception],
) -> None:
    before = heads(database)
    with pytest.raises(error):
        merge(provinces, into, *codes, on=on)
    assert heads(database) == before
    assert successions(provinces) == []


def test_a_merger_closes_the_predecessors_and_records_their_heads(
    provinces: ProvinceRegistry, database: ConnectionParams
) -> None:
    early = ProvinceRegistry(database)  # another process that opened ha-nam before the merger
    early.app("ha-nam")
    try:
        merge(provinces, "ninh-binh", "ha-nam", "nam-dinh")
        found, successor = lineage(provinces, "ninh-binh")
        assert sorted(row.predecessor for row in found) == ["ha-nam", "nam-dinh"]
        assert successor is None
        recorded = provinces.app("ninh-binh").get_lineage()["predecessors"]
        for row in found:
            assert row.effective_on == MERGER
            assert (
                f"{recorded[row.predecessor]['head_hash']}@{recorded[row.predecessor]['head_position']}"
                == row.head
            )
        assert provinces.app("ha-nam").get_lineage()["successor"] == "ninh-binh"

        before = heads(database)
        for registry in (provinces, early):
            with pytest.raises(ProvinceMerged) as refused:
                registry.app("ha-nam").register_unit(key="so-moi", name="Sở mới", by=by("2025-07-02"))
            assert refused.value.code == "PROVINCE_MERGED"
        assert heads(database) == before
        # Reads stay, for auditors.
        assert provinces.app("ha-nam").find_award_record("staff", "nguyen-van-a") is not None

        with pytest.raises(ProvinceAlreadyMerged):
            merge(provinces, "phu-tho", "ha-nam", name="Tỉnh Phú Thọ")
        with pytest.raises(MergerCycle):
            merge(provinces, "ha-nam", "ninh-binh")
        assert heads(database) == before
    finally:
        early.close()


def test_a_merger_may_create_its_successor(provinces: ProvinceRegistry) -> None:
    merge(provinces, "phu-tho", "ha-nam", name="Tỉnh Phú Thọ")
    assert provinces.get("phu-tho").name == "Tỉnh Phú Thọ"
    assert provinces.app("phu-tho").get_lineage()["predecessors"]["ha-nam"]["name"] == "Hà Nam"


def test_a_person_succeeds_across_provinces_only_within_the_lineage(provinces: ProvinceRegistry) -> None:
    merge(provinces, "ninh-binh", "ha-nam")
    with pytest.raises(NotInLineage):
        record_succession(
            provinces,
            "ninh-binh",
            recipient_kind="staff",
            recipient="nguyen-van-a",
            predecessors=[PredecessorRef("nam-dinh", "nguyen-van-a")],
            succession="transfer",
            document="QĐ 1",
            by=by("2025-07-01"),
        )
    record_succession(
        provinces,
        "ninh-binh",
        recipient_kind="staff",
        recipient="nguyen-van-a",
        predecessors=[PredecessorRef("ha-nam", "nguyen-van-a")],
        succession="transfer",
        document="QĐ 1/QĐ-UBND",
        by=by("2025-07-01"),
    )
    record = provinces.app("ninh-binh").find_award_record("staff", "nguyen-van-a")
    assert record is not None
    assert [s["predecessor"] for s in record.successions] == ["ha-nam/nguyen-van-a"]
    assert len(record.successions[0]["titles"]) == 2


def test_the_auditor_verifies_the_lineage_and_finds_a_tampered_head(
    provinces: ProvinceRegistry, database: ConnectionParams
) -> None:
    kept = thidua(database, "ledger", "head", "--province", "ha-nam").stdout.strip()
    merged = thidua(
        database,
        "province",
        "merge",
        "--into",
        "ninh-binh",
        "--from",
        "ha-nam",
        "--from",
        "nam-dinh",
        "--effective",
        "2025-07-01",
        "--basis",
        BASIS,
    )
    assert merged.returncode == 0, merged.stderr
    assert "ha-nam\tclosed at " in merged.stdout
    again = thidua(database, "province", "merge", "--into", "ninh-binh", "--from", "ha-nam",
                   "--effective", "2025-07-01", "--basis", BASIS)  # fmt: skip
    assert again.returncode == 2
    assert "PROVINCE_ALREADY_MERGED" in again.stderr

    verified = thidua(database, "ledger", "verify", "--province", "ninh-binh", "--with-predecessors")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "predecessor ha-nam -> ninh-binh: ok" in verified.stdout
    assert "predecessor nam-dinh -> ninh-binh: ok" in verified.stdout
    # The checkpoint an auditor kept before the merger still holds on the closed ledger.
    before = thidua(database, "ledger", "verify", "--province", "ha-nam", "--against", kept)
    assert before.returncode == 0, before.stdout

    with psycopg.connect(database.psycopg_conninfo()) as conn:
        conn.execute("ALTER TABLE p_nam_dinh.ledger_events DISABLE TRIGGER ledger_closed_guard")
    unguarded = thidua(database, "ledger", "verify", "--province", "ninh-binh", "--with-predecessors")
    assert unguarded.returncode == 1
    assert "predecessor nam-dinh -> ninh-binh: BROKEN" in unguarded.stdout
    assert "closure guard" in unguarded.stdout
    with psycopg.connect(database.psycopg_conninfo()) as conn:
        conn.execute("ALTER TABLE p_nam_dinh.ledger_events ENABLE TRIGGER ledger_closed_guard")
        conn.execute(
            "UPDATE platform.successions SET head_position = head_position - 1 WHERE predecessor = 'ha-nam'"
        )
    broken = thidua(database, "ledger", "verify", "--province", "ninh-binh", "--with-predecessors")
    assert broken.returncode == 1
    assert "predecessor ha-nam -> ninh-binh: BROKEN" in broken.stdout


def test_domain_errors_of_a_merger_carry_stable_codes() -> None:
    codes = {cls.code for cls in (MergeIntoItself, MergerCycle, ProvinceAlreadyMerged, MergerBeforeLastEvent)}
    assert codes == {
        "MERGE_INTO_ITSELF",
        "MERGER_CYCLE",
        "PROVINCE_ALREADY_MERGED",
        "MERGER_BEFORE_LAST_EVENT",
    }
    assert issubclass(ProvinceMerged, DomainError)


def test_exports_and_forms_from_the_command_line_read_the_predecessors_when_asked(
    provinces: ProvinceRegistry, database: ConnectionParams, tmp_path: Path
) -> None:
    provinces.app("ha-nam").record_decision(
        number="15/QĐ-UBND",
        signer="Chủ tịch UBND tỉnh Hà Nam",
        authority="provincial_chair",
        award="tap_the_lao_dong_xuat_sac",
        year=2024,
        recipients=[("unit", "so-noi-vu")],
        claimed_count=None,
        proposals=[],
        historical=True,
        by=by("2024-12-20"),
    )
    merge(provinces, "ninh-binh", "ha-nam", "nam-dinh")
    out = tmp_path / "so-khen-thuong.xlsx"

    def register(*more: str) -> list[tuple[Any, ...]]:
        done = thidua(database, "export-excel", "awards-register", "--province", "ninh-binh",
                      "--output", str(out), *more)  # fmt: skip
        assert done.returncode == 0, done.stderr
        return [r for r in sheet_values(out) if r and isinstance(r[0], int)]

    assert [r[1] for r in register()] == ["2023/QĐ-ninh-binh", "2024/QĐ-ninh-binh"]
    every = register("--include-predecessors")
    assert [(r[1], r[-1]) for r in every] == [
        ("2023/QĐ-ninh-binh", "Ninh Bình"),
        ("2024/QĐ-ninh-binh", "Ninh Bình"),
        ("15/QĐ-UBND", "Hà Nam"),
        ("2023/QĐ-ha-nam", "Hà Nam"),
        ("2024/QĐ-ha-nam", "Hà Nam"),
        ("2023/QĐ-nam-dinh", "Nam Định"),
        ("2024/QĐ-nam-dinh", "Nam Định"),
    ]
    # A predecessor asking for predecessors reads its own register: the lineage runs backwards only.
    closed = thidua(database, "export-excel", "awards-register", "--province", "ha-nam",
                    "--include-predecessors", "--output", str(out))  # fmt: skip
    assert closed.returncode == 0, closed.stderr
    assert [r[1] for r in sheet_values(out) if r and isinstance(r[0], int)] == [
        "15/QĐ-UBND",
        "2023/QĐ-ha-nam",
        "2024/QĐ-ha-nam",
    ]
    refused = thidua(database, "export-excel", "standings", "--province", "ninh-binh", "--block", "khoi",
                     "--year", "2024", "--include-predecessors", "--output", str(out))  # fmt: skip
    assert refused.returncode == 2
    assert "PREDECESSORS_NOT_READ" in refused.stderr

    def form(*more: str) -> str:  # 0603: a Tập thể lao động xuất sắc is counted in its note
        path = tmp_path / "0603.xlsx"
        done = thidua(database, "report", "0603", "--province", "ninh-binh", "--year", "2024",
                      "--output", str(path), *more)  # fmt: skip
        assert done.returncode == 0, done.stderr
        return " ".join(str(v) for row in sheet_values(path) for v in row if v is not None)

    assert "Tập thể lao động xuất sắc" not in form()
    assert "Tập thể lao động xuất sắc: 1" in form("--include-predecessors")
