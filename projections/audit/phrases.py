"""Words and phrases of the audit sentences (từ ngữ): the domain's codes in the clerks' words,
names instead of keys, dates as clerks write them.

Codes the domain already names in Vietnamese come from the domain's own tables; a code nobody
named yet is shown as recorded, in «», rather than guessed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from thidua.domain.block_year import REVIEW_KINDS
from thidua.domain.catalogue import AUTHORITY_NAMES_VI, AWARD_TYPES_VI, CATALOGUE
from thidua.domain.classification import BAND_NAMES_VI as UNIT_BANDS_VI
from thidua.domain.decisions import REVOCATION_GROUNDS
from thidua.domain.discipline import CASE_KINDS
from thidua.domain.dossier import DOSSIER_ITEM_NAMES
from thidua.domain.movements import MOVEMENT_KINDS
from thidua.domain.rating_rules import BAND_NAMES_VI as STAFF_BANDS_VI
from thidua.domain.staff import RATING_GROUPS, STAFF_KIND_NAMES
from thidua.projections.audit.context import AuditContext

CHOICE_METHODS_VI = {"vote": "bằng bỏ phiếu", "acclamation": "bằng suy tôn"}
BLOCK_KINDS_VI = {"block": "khối thi đua", "cluster": "cụm thi đua"}
ITEM_KINDS_VI = {"criterion": "tiêu chí", "bonus": "điểm thưởng", "deduction": "điểm trừ"}
SCOPES_VI = {"grassroots": "cơ sở", "province": "cấp tỉnh", "national": "toàn quốc"}
CASE_OUTCOMES_VI = {"cleared": "không bị kỷ luật", "disciplined": "có hình thức kỷ luật"}
COUNCIL_ROLES_VI = {
    "chair": "Chủ tịch",
    "vice_chair": "Phó Chủ tịch",
    "standing_member": "Ủy viên thường trực",
    "member": "Ủy viên",
    "secretary": "Thư ký",
}
PURPOSES_VI = {
    "officers": "chọn Khối trưởng, Khối phó",
    "classification": "xếp loại",
    "leading_units": "chọn đơn vị dẫn đầu",
    "council": "Hội đồng xét khen thưởng",
}
QUESTIONS_VI = {"approve": "tán thành hay không", "elect": "chọn một trong các phương án"}
CHOICES_VI = {"approve": "tán thành", "reject": "không tán thành", "abstain": "không biểu quyết"}
OUTCOMES_VI = {
    "decided": "có kết quả",
    "not_reached": "không phương án nào đạt tỷ lệ cần thiết",
    "no_quorum": "không đủ túc số",
    "tie_new_round": "hòa phiếu, phải bỏ phiếu lại",
}
TIE_SETTLED_VI = {"total_score": "theo tổng điểm", "new_round": "bằng vòng bỏ phiếu mới"}
ELECTORATES_VI = {"block_members": "các đơn vị thành viên khối", "council_members": "thành viên Hội đồng"}
EXEMPLARY_COUNTS_VI = {"individuals": "cá nhân", "party_cells": "chi bộ", "models": "mô hình"}
MEMBER_STATS_VI = {
    "members": "thành viên",
    "completed": "hoàn thành nhiệm vụ",
    "advanced": "lao động tiên tiến",
    "grassroots_fighters": "chiến sĩ thi đua cơ sở",
}
RULE_NAMES_VI = {
    "rating_excellent_min": "điểm tối thiểu xếp loại hoàn thành xuất sắc",
    "rating_good_min": "điểm tối thiểu xếp loại hoàn thành tốt",
    "rating_completed_min": "điểm tối thiểu xếp loại hoàn thành",
    "excellent_cap": "tỷ lệ tối đa hoàn thành xuất sắc",
    "year_rating_min_months": "số tháng tối thiểu để xếp loại năm",
    "ballot_quorum": "túc số bỏ phiếu",
    "ballot_threshold_default": "tỷ lệ phiếu tán thành",
    "tie_rule": "cách xử lý hòa phiếu",
    "disclosure_working_days": "số ngày làm việc công khai",
    "dossier_assign_working_days": "số ngày làm việc giao chuyên viên",
    "dossier_appraise_working_days": "số ngày làm việc thẩm định hồ sơ",
    "dossier_correction_working_days": "số ngày làm việc bổ sung hồ sơ bị trả lại",
    "grassroots_years_for_provincial_fighter": "số năm chiến sĩ thi đua cơ sở liên tục",
    "provincial_years_for_national_fighter": "số lần chiến sĩ thi đua cấp tỉnh",
    "excellent_collective_advanced_share": "tỷ lệ lao động tiên tiến của tập thể xuất sắc",
    "excellent_collective_min_grassroots_fighters": "số chiến sĩ thi đua cơ sở của tập thể xuất sắc",
}
DOSSIER_ITEMS_VI: Mapping[str, str] = {k: v.lower() for k, v in DOSSIER_ITEM_NAMES.items()}
GROUNDS_VI: Mapping[str, str] = REVOCATION_GROUNDS
CASE_KINDS_VI: Mapping[str, str] = CASE_KINDS
RATING_GROUPS_VI: Mapping[str, str] = RATING_GROUPS
STAFF_KINDS_VI: Mapping[str, str] = {k: v.lower() for k, v in STAFF_KIND_NAMES.items()}
AWARD_TYPE_VI: Mapping[str, str] = {k: v[0].lower() + v[1:] for k, v in AWARD_TYPES_VI.items()}
REVIEW_KINDS_VI: Mapping[str, str] = REVIEW_KINDS
MOVEMENT_KINDS_VI: Mapping[str, str] = MOVEMENT_KINDS
AUTHORITIES_VI: Mapping[str, str] = AUTHORITY_NAMES_VI


def code(table: Mapping[str, str], value: Any) -> str:
    """The Vietnamese words for a code; the code itself, in «», when none are known."""
    if value is None or value == "":
        return "(không ghi)"
    return table.get(str(value)) or f"«{value}»"


def award(value: Any) -> str:
    if value in (None, ""):
        return "(không ghi)"
    known = CATALOGUE.get(str(value))
    return known.name_vi if known is not None else f"«{value}»"


def unit_band(value: Any) -> str:
    return code(UNIT_BANDS_VI, value)


def staff_band(value: Any) -> str:
    return code(STAFF_BANDS_VI, value)


def money(value: Any) -> str:
    """An amount in đồng as clerks write it: 3.510.000 đồng."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "(không ghi)"
    return f"{int(value):,}".replace(",", ".") + " đồng"


def day(value: Any) -> str:
    """2025-07-01 as 01/07/2025 (what clerks write); other text as it is."""
    text = str(value or "")
    if len(text) >= 10 and text[4] == "-" and text[7] == "-":
        return f"{text[8:10]}/{text[5:7]}/{text[:4]}"
    return text or "(không ghi)"


def number(value: Any) -> str:
    """A figure without a needless ".0"; Vietnamese decimal comma."""
    if value is None or value == "":
        return "(không ghi)"
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return f"{value:g}".replace(".", ",")
    return str(value)


def quoted(value: Any) -> str:
    return f"«{value}»" if value not in (None, "") else "(không ghi)"


def named(ctx: AuditContext, kind: str, key: Any) -> str:
    """The thing's name as known then; its key in «» when no name was ever recorded."""
    if not isinstance(key, str) or not key:
        return "(không ghi)"
    return ctx.name(kind, key) or f"«{key}»"


def unit(ctx: AuditContext, key: Any) -> str:
    return named(ctx, "unit", key)


def staff(ctx: AuditContext, key: Any) -> str:
    return named(ctx, "staff", key)


def block(ctx: AuditContext, key: Any) -> str:
    return named(ctx, "block", key)


def recipient(ctx: AuditContext, kind: Any, key: Any) -> str:
    """A unit or a person, by the kind recorded beside the key (unit | staff)."""
    if kind == "staff":
        return staff(ctx, key)
    if kind == "unit":
        return unit(ctx, key)
    return ctx.name("unit", key) or ctx.name("staff", key) or named(ctx, "unit", key)


def voter(ctx: AuditContext, key: Any) -> str:
    if not isinstance(key, str):
        return "(không ghi)"
    return ctx.name("unit", key) or ctx.name("member", key) or f"«{key}»"


def option(ctx: AuditContext, value: Any) -> str:
    """A ballot option or choice: a unit's name, or the words of approve / reject."""
    if isinstance(value, str) and value in CHOICES_VI:
        return CHOICES_VI[value]
    return voter(ctx, value)


def listed(items: Iterable[str], limit: int = 5) -> str:
    """ "A, B và C"; past `limit` items, "A, B, C, D, E và 3 đối tượng khác"."""
    found = list(items)
    if not found:
        return "(không có)"
    if len(found) > limit:
        return f"{', '.join(found[:limit])} và {len(found) - limit} đối tượng khác"
    if len(found) == 1:
        return found[0]
    return f"{', '.join(found[:-1])} và {found[-1]}"


def decision(value: Any) -> str:
    """A decision named as the source of a change: «number» ngày dd/mm/yyyy của issuer."""
    if not isinstance(value, Mapping) or not value.get("number"):
        return "(không ghi)"
    number, signed_on = quoted(value.get("number")), day(value.get("signed_on"))
    return f"quyết định {number} ngày {signed_on} của {value.get('issuer')}"


def by_decision(value: Any) -> str:
    """ ", theo quyết định …" when the payload names one, else nothing."""
    return f", theo {decision(value)}" if isinstance(value, Mapping) and value.get("number") else ""


def block_year(ctx: AuditContext) -> tuple[str, str]:
    """(block's name, year) of the event's aggregate (a block-year or a block's scoring)."""
    here = ctx.aggregate()
    return block(ctx, here.get("block")), number(here.get("year", "(không ghi)"))


def items(payload: Mapping[str, Any], field: str) -> list[Any]:
    """A list field of a payload ([] when missing or not a list)."""
    value = payload.get(field)
    return value if isinstance(value, list) else []


def table(payload: Mapping[str, Any], field: str) -> dict[str, Any]:
    """A mapping field of a payload ({} when missing or not a mapping)."""
    value = payload.get(field)
    return value if isinstance(value, dict) else {}


def reason(value: Any) -> str:
    return f"; lý do: «{value}»" if value not in (None, "") else ""
