"""What a block's minutes (biên bản) record, in the words they use: how officers were chosen,
which meetings were held and what they adopted, a review's figures, the decision behind a
change. Each vocabulary is one mapping code -> Vietnamese words, read by the domain (to refuse
an unknown code), the audit sentences and the API's descriptions alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from .base import require_text
from .errors import MalformedCommand
from .keys import require_document_number

# How the Khối trưởng / Khối phó were chosen. "vote" is a vote the source does not call open or
# secret (older records said only that); "unrecorded" is a source silent on the method.
OFFICER_METHODS: Mapping[str, str] = {
    "open_vote": "bỏ phiếu công khai (biểu quyết)",
    "secret_vote": "bỏ phiếu kín",
    "vote": "bỏ phiếu (nguồn không ghi kín hay công khai)",
    "acclamation": "suy tôn",
    "consensus": "hiệp thương, giới thiệu",
    "rotation": "luân phiên theo quy chế của khối",
    "assignment": "do tỉnh giao theo quyết định",
    "unrecorded": "nguồn không ghi cách chọn",
}
VOTE_METHODS = frozenset({"open_vote", "secret_vote", "vote"})

# Meetings of a block other than the reviews (sơ kết / tổng kết).
MEETING_KINDS: Mapping[str, str] = {
    "launch": "hội nghị phát động thi đua, ký kết giao ước",
    "regulation": "hội nghị thông qua quy chế hoạt động của khối",
    "criteria": "hội nghị thông qua tiêu chí, bảng chấm điểm thi đua",
    "plan": "hội nghị thông qua kế hoạch hoạt động của khối",
    "other": "hội nghị khối",
}
# What a meeting may adopt (thông qua, ký kết).
ADOPTED_ITEMS: Mapping[str, str] = {
    "pledge": "giao ước thi đua",
    "regulation": "quy chế hoạt động",
    "criteria": "tiêu chí, bảng chấm điểm",
    "plan": "kế hoạch hoạt động",
}

# A ballot the minutes mention without figures: open, secret, or the minutes do not say.
BALLOT_FORMS: Mapping[str, str] = {
    "open": "bỏ phiếu công khai",
    "secret": "bỏ phiếu kín",
    "unrecorded": "không rõ hình thức bỏ phiếu",
}


def require_code(value: str, table: Mapping[str, str], field: str, what: str) -> str:
    if value not in table:
        raise MalformedCommand(
            f"{what} «{value}» không hợp lệ; chọn một trong: {', '.join(table)}.", field=field, value=value
        )
    return value


def decision_reference(number: str, signed_on: date, issuer: str, field: str = "decision") -> dict[str, str]:
    """A decision (quyết định) named as the source of a change: number, date, issuer. Stored
    as text (ISO date) inside the payload, as the minutes print it."""
    return {
        "number": require_document_number(number, f"{field}.number"),
        "signed_on": signed_on.isoformat(),
        "issuer": require_text(issuer, f"{field}.issuer"),
    }


def review_figures(
    completion_rate: str | None, counts: Mapping[str, int], field: str = "figures"
) -> dict[str, Any]:
    """A review's figures: the completion rate of the pledged targets (percent, 0–100, written
    with a decimal comma or point; kept as an exact decimal's text) and named counts (units,
    targets, models...), none negative."""
    rate: str | None = None
    if completion_rate is not None:
        try:
            parsed = Decimal(completion_rate.strip().replace(",", ".", 1))
        except InvalidOperation:
            parsed = Decimal("NaN")
        if not parsed.is_finite() or not Decimal(0) <= parsed <= Decimal(100):
            raise MalformedCommand(
                f"Tỷ lệ hoàn thành «{completion_rate}» phải là số phần trăm từ 0 đến 100.",
                field=f"{field}.completionRate",
            )
        rate = str(parsed)
    clean: dict[str, int] = {}
    for index, (name, count) in enumerate(counts.items()):
        label = require_text(name, f"{field}.counts[{index}].name")
        if count < 0:
            raise MalformedCommand(f"Số liệu «{label}» không thể âm.", field=f"{field}.counts[{index}].count")
        clean[label] = count
    return {"completion_rate": rate, "counts": clean}
