"""Data for the paperwork cases: a staff list as xlsx, and decisions for the awards register.

The register's 100,000 recipient lines are 1,000 decisions of 100 recipients written straight
into the awards read model (COPY), which is all the export reads: recording them through the
commands would take longer than the whole benchmark. `register_rows` yields the very rows the
export writes for them, for the openpyxl floor.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import openpyxl

from thidua.domain.catalogue import AUTHORITY_NAMES_VI, CATALOGUE

STAFF_HEADER = ["Mã cán bộ", "Họ và tên", "Mã đơn vị", "Nhóm xếp loại", "Loại cán bộ"]
UNITS = 20
PER_DECISION = 100
AWARD = "bang_khen_chu_tich_ubnd_tinh"
SIGNER = "Nguyễn Văn Đức"


def staff_rows(rows: int) -> Iterator[tuple[str, str, str, str, str]]:
    for i in range(rows):
        yield (f"cb-{i:07d}", f"Nguyễn Thị Hương {i}", f"don-vi-{i % UNITS:02d}", "specialists", "Công chức")


def write_staff_file(path: Path, rows: int) -> Path:
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Danh sách")
    sheet.append(STAFF_HEADER)
    for row in staff_rows(rows):
        sheet.append(list(row))
    book.save(path)
    return path


def decision_docs(rows: int) -> Iterator[dict[str, Any]]:
    """Decision documents as the awards projection keeps them, `PER_DECISION` recipients each."""
    first = date(2024, 1, 2)
    for d in range((rows + PER_DECISION - 1) // PER_DECISION):
        count = min(PER_DECISION, rows - d * PER_DECISION)
        recipients = [
            {
                "kind": "unit" if i % 10 == 0 else "staff",
                "key": f"r-{d:05d}-{i:03d}",
                "name": f"Trần Văn Bình {d}-{i}",
            }
            for i in range(count)
        ]
        yield {
            "number": f"{d:05d}/QĐ-UBND",
            "signer": SIGNER,
            "authority": "provincial_chair",
            "award": AWARD,
            "year": 2024,
            "recipients": recipients,
            "claimed_count": None,
            "count_mismatch": False,
            "proposals": [],
            "historical": True,
            "prize_multiple_each": {"unit": 2.0, "staff": 1.0},
            "prize_multiple_total": float(sum(2.0 if r["kind"] == "unit" else 1.0 for r in recipients)),
            "rule_version": "bench",
            "status": "in_force",
            "decided": {"position": d + 1, "effective_on": (first + timedelta(days=d % 360)).isoformat()},
            "last_position": d + 1,
        }


def register_rows(rows: int) -> Iterator[list[Any]]:
    """The rows the awards-register export writes for `decision_docs(rows)`."""
    award = CATALOGUE[AWARD].name_vi
    authority = AUTHORITY_NAMES_VI["provincial_chair"]
    n = 0
    for doc in decision_docs(rows):
        decided = date.fromisoformat(doc["decided"]["effective_on"])
        for r in doc["recipients"]:
            n += 1
            unit = r["kind"] == "unit"
            yield [
                n,
                doc["number"],
                decided,
                SIGNER,
                authority,
                award,
                2024,
                "Tập thể" if unit else "Cá nhân",
                r["key"],
                r["name"],
                2.0 if unit else 1.0,
                None,
                "Còn hiệu lực",
            ]


def copy_records(province: str, rows: int) -> Iterator[tuple[Any, ...]]:
    for doc in decision_docs(rows):
        yield (
            province,
            "decision",
            doc["number"],
            2024,
            "in_force",
            AWARD,
            doc["last_position"],
            json.dumps(doc),
        )
