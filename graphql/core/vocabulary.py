"""The closed vocabularies of the API as GraphQL enums (bảng mã), each value with its Vietnamese label.

An enum value's name is the code itself (`in_force`, `giay_khen`, `acclamation`): the code a
command takes, the event stores and the JSON answer carries, so typing a field with its enum
changes nothing a client receives, only what introspection and GraphiQL tell about it. The
labels come from the domain's own tables where it has them (the award catalogue, the deciding
authorities, the award types, the classification bands), so one list feeds both.

`known` maps a stored code to its enum value, or None for a code outside the vocabulary (an
award entered from archived records under a name the catalogue does not have): fields carrying
such codes are typed beside the string, nullable, never in its place.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import TYPE_CHECKING, Any, TypeAlias, TypeVar, cast

import strawberry

from thidua.domain.block_minutes import OFFICER_METHODS
from thidua.domain.catalogue import AUTHORITY_NAMES_VI, AWARD_TYPES_VI, CATALOGUE
from thidua.domain.classification import BAND_NAMES_VI
from thidua.domain.dossier_flow import STATUS_VI
from thidua.services.auth import Role as TokenRole

E = TypeVar("E", bound=Enum)


def _enum(name: str, description: str, labels: Mapping[str, str]) -> Any:
    members = {code: strawberry.enum_value(code, description=label) for code, label in labels.items()}
    return strawberry.enum(cast("type[Enum]", Enum(name, members)), name=name, description=description)


def known(enum: type[E], code: str | None) -> E | None:
    """The enum value of `code`, or None when there is no code or the vocabulary lacks it."""
    if code is None:
        return None
    try:
        return enum(code)
    except ValueError:
        return None


def of(enum: type[E], code: str) -> E:
    """The enum value of a code the domain guarantees is in the vocabulary."""
    return enum(code)


ROLE_NAMES_VI = {
    TokenRole.PROVINCE_ADMIN.value: "Ban Thi đua – Khen thưởng tỉnh",
    TokenRole.COUNCIL_MEMBER.value: "Thành viên Hội đồng Thi đua – Khen thưởng",
    TokenRole.BLOCK_OFFICER.value: "Khối trưởng, Khối phó, cán bộ khối thi đua",
    TokenRole.UNIT_CLERK.value: "Cán bộ thi đua của đơn vị",
    TokenRole.AUDITOR.value: "Thanh tra, kiểm toán (chỉ đọc, toàn bộ lịch sử)",
    TokenRole.PLATFORM_OPERATOR.value: "Người vận hành nền tảng",
}
# How leading units are chosen (domain.block_year.CHOICE_METHODS); officers: OFFICER_METHODS.
CHOICE_METHOD_NAMES_VI = {
    "vote": "Bỏ phiếu",
    "acclamation": "Biểu quyết, suy tôn",
    "unrecorded": "Văn bản không ghi cách chọn",
}
BALLOT_STATUS_NAMES_VI = {
    "open": "Đang bỏ phiếu",
    "closed": "Đã kết thúc, chờ kiểm phiếu",
    "tallied": "Đã kiểm phiếu",
    "recorded_without_figures": "Ghi nhận theo văn bản, không có số phiếu",
    "unopenable": "Bỏ phiếu kín không mở được (mất mảnh khóa)",
}
DECISION_STATUS_NAMES_VI = {"in_force": "Đang có hiệu lực", "revoked": "Đã bị hủy bỏ"}
PROPOSAL_STATUS_NAMES_VI = {status.value: label for status, label in STATUS_VI.items()}
RECIPIENT_KIND_NAMES_VI = {"unit": "Tập thể (cơ quan, đơn vị)", "staff": "Cá nhân (cán bộ)"}
BLOCK_KIND_NAMES_VI = {"block": "Khối thi đua", "cluster": "Cụm thi đua"}

if TYPE_CHECKING:  # built from the tables below at run time; plain enums to the type checker
    AwardCode: TypeAlias = Enum
    AwardType: TypeAlias = Enum
    Authority: TypeAlias = Enum
    Role: TypeAlias = Enum
    ChoiceMethod: TypeAlias = Enum
    OfficerMethod: TypeAlias = Enum
    BallotStatus: TypeAlias = Enum
    DecisionStatus: TypeAlias = Enum
    ProposalStatus: TypeAlias = Enum
    RecipientKind: TypeAlias = Enum
    BlockKind: TypeAlias = Enum
    ClassificationBand: TypeAlias = Enum
else:
    AwardCode = _enum(
        "AwardCode",
        "Mã danh hiệu thi đua, hình thức khen thưởng trong danh mục (Luật Thi đua, khen thưởng 2022).",
        {code: award.name_vi for code, award in CATALOGUE.items()},
    )
    AwardType = _enum("AwardType", "Loại hình khen thưởng.", AWARD_TYPES_VI)
    Authority = _enum("Authority", "Cấp có thẩm quyền quyết định khen thưởng.", AUTHORITY_NAMES_VI)
    Role = _enum("Role", "Vai trò của người dùng (ghi trong mã xác thực).", ROLE_NAMES_VI)
    ChoiceMethod = _enum("ChoiceMethod", "Cách chọn đơn vị dẫn đầu khối.", CHOICE_METHOD_NAMES_VI)
    OfficerMethod = _enum(
        "OfficerMethod", "Cách chọn Khối trưởng, Khối phó (như biên bản ghi).", dict(OFFICER_METHODS)
    )
    BallotStatus = _enum("BallotStatus", "Trạng thái của một cuộc bỏ phiếu.", BALLOT_STATUS_NAMES_VI)
    DecisionStatus = _enum("DecisionStatus", "Hiệu lực của quyết định khen thưởng.", DECISION_STATUS_NAMES_VI)
    ProposalStatus = _enum(
        "ProposalStatus",
        "Trạng thái của đề nghị khen thưởng (hồ sơ đề nghị), cùng một từ vựng từ sự kiện đến API "
        "(domain/dossier_flow.py).",
        PROPOSAL_STATUS_NAMES_VI,
    )
    RecipientKind = _enum(
        "RecipientKind", "Đối tượng khen thưởng: tập thể hoặc cá nhân.", RECIPIENT_KIND_NAMES_VI
    )
    BlockKind = _enum("BlockKind", "Khối hay cụm thi đua.", BLOCK_KIND_NAMES_VI)
    ClassificationBand = _enum(
        "ClassificationBand", "Mức xếp loại thi đua của đơn vị trong khối.", BAND_NAMES_VI
    )
