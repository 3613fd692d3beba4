"""Types of the award catalogue and the rule set: every value with its sources and `verified`."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, cast

import strawberry
from strawberry.scalars import JSON

from thidua.domain.sources import Basis
from thidua.domain.sources import Source as DomainSource
from thidua.graphql.core.money import Dong, dong
from thidua.services.rules_view import (
    CatalogueEntry,
    CouncilView,
    PrerequisiteView,
    PrizeView,
    RuleSetView,
)

if TYPE_CHECKING:
    from thidua.domain.prizes import BaseSalary
    from thidua.domain.rule_values import RuleValue


@strawberry.type(description="Một văn bản làm căn cứ: tên văn bản và điều, khoản.")
class LegalSource:
    document: str = strawberry.field(description="Văn bản, ví dụ Nghị định 152/2025/NĐ-CP.")
    article: str = strawberry.field(description="Điều, khoản, điểm (rỗng khi chỉ dẫn chiếu cả văn bản).")

    @classmethod
    def of(cls, s: DomainSource) -> LegalSource:
        return cls(document=s.document, article=s.article)


def _sources(basis: Basis | None) -> list[LegalSource]:
    return [LegalSource.of(s) for s in basis.sources] if basis else []


@strawberry.type(description="Tiền thưởng: hệ số so với mức lương cơ sở và số tiền (đồng) vào ngày hỏi.")
class Prize:
    individual_multiple: Decimal | None = strawberry.field(
        description="Hệ số cho cá nhân; null khi cá nhân không được tặng."
    )
    collective_multiple: Decimal | None = strawberry.field(
        description="Hệ số cho tập thể (gấp đôi cá nhân với hình thức tặng cả hai); null khi tập thể không "
        "được tặng."
    )
    base_salary: Dong | None = strawberry.field(description="Mức lương cơ sở đang áp dụng (đồng/tháng).")
    individual_amount: Dong | None = strawberry.field(
        description="Số tiền cho cá nhân, làm tròn lên hàng chục nghìn đồng."
    )
    collective_amount: Dong | None = strawberry.field(
        description="Số tiền cho tập thể, làm tròn lên hàng chục nghìn đồng."
    )
    sources: list[LegalSource] = strawberry.field(description="Căn cứ của hệ số.")

    @classmethod
    def of(cls, p: PrizeView) -> Prize:
        return cls(
            individual_multiple=p.individual_multiple,
            collective_multiple=p.collective_multiple,
            base_salary=dong(p.base_salary),
            individual_amount=dong(p.individual_amount),
            collective_amount=dong(p.collective_amount),
            sources=_sources(p.basis),
        )


@strawberry.type(description="Ngưỡng biểu quyết của Hội đồng Thi đua – Khen thưởng.")
class CouncilThreshold:
    numerator: int = strawberry.field(description="Tử số của tỷ lệ tán thành (ví dụ 9 trong 9/10).")
    denominator: int = strawberry.field(description="Mẫu số (ví dụ 10).")
    base: str = strawberry.field(description="all: trên tổng số thành viên; present: trên số có mặt.")
    secret_ballot: bool = strawberry.field(description="Phải bỏ phiếu kín.")
    ballot_required: bool = strawberry.field(
        description="Phải có kết quả bỏ phiếu của Hội đồng trước khi trình."
    )
    written_opinions_allowed: bool = strawberry.field(
        description="Thành viên vắng mặt được gửi ý kiến bằng văn bản."
    )

    @classmethod
    def of(cls, c: CouncilView) -> CouncilThreshold:
        return cls(
            numerator=c.numerator,
            denominator=c.denominator,
            base=c.base,
            secret_ballot=c.secret_ballot,
            ballot_required=c.ballot_required,
            written_opinions_allowed=c.written_opinions_allowed,
        )


@strawberry.type(description="Một điều kiện tiên quyết, đối chiếu với hồ sơ lưu (không khai tay).")
class Prerequisite:
    code: str = strawberry.field(description="Mã điều kiện (ghi trên đề nghị: met / missing).")
    description: str = strawberry.field(description="Nội dung điều kiện.")
    applies_to: str = strawberry.field(description="individual (cá nhân) hoặc collective (tập thể).")
    sources: list[LegalSource] = strawberry.field(description="Căn cứ.")
    verified: bool = strawberry.field(description="Đã đối chiếu được văn bản.")
    note: str | None = strawberry.field(description="Ghi chú về căn cứ.")

    @classmethod
    def of(cls, p: PrerequisiteView) -> Prerequisite:
        return cls(
            code=p.code,
            description=p.description,
            applies_to=p.applies_to,
            sources=_sources(p.basis),
            verified=p.basis.verified,
            note=p.basis.note or None,
        )


@strawberry.type(description="Một danh hiệu thi đua hoặc hình thức khen thưởng, theo quy định tại ngày hỏi.")
class CatalogueAward:
    code: str = strawberry.field(description="Mã, ví dụ bang_khen_chu_tich_ubnd_tinh.")
    name: str = strawberry.field(description="Tên.")
    is_title: bool = strawberry.field(
        description="Danh hiệu thi đua (true) hay hình thức khen thưởng (false)."
    )
    recipients: list[str] = strawberry.field(description="individual (cá nhân), collective (tập thể).")
    authority: str = strawberry.field(description="Cấp quyết định thường gặp.")
    authorities: list[str] = strawberry.field(description="Mọi cấp có thẩm quyền quyết định.")
    award_types: list[str] = strawberry.field(description="Loại hình khen thưởng được phép.")
    prize: Prize = strawberry.field(description="Tiền thưởng.")
    disclosure_required: bool = strawberry.field(
        description="Phải công khai lấy ý kiến trước khi Hội đồng họp."
    )
    council_threshold: CouncilThreshold | None = strawberry.field(
        description="Ngưỡng của Hội đồng tỉnh; null khi do cấp cơ sở quyết định."
    )
    prerequisites: list[Prerequisite] = strawberry.field(
        description="Điều kiện tiên quyết (khen thưởng thường xuyên)."
    )
    sources: list[LegalSource] = strawberry.field(description="Căn cứ (không bao giờ rỗng).")
    verified: bool = strawberry.field(
        description="Mọi giá trị đã đối chiếu được văn bản; false: có giá trị là cài đặt của tỉnh chưa "
        "có căn cứ."
    )
    notes: list[str] = strawberry.field(description="Ghi chú về căn cứ.")

    @classmethod
    def of(cls, e: CatalogueEntry) -> CatalogueAward:
        return cls(
            code=e.code,
            name=e.name,
            is_title=e.is_title,
            recipients=list(e.recipients),
            authority=e.authority,
            authorities=list(e.authorities),
            award_types=list(e.award_types),
            prize=Prize.of(e.prize),
            disclosure_required=e.disclosure_required,
            council_threshold=CouncilThreshold.of(e.council_threshold) if e.council_threshold else None,
            prerequisites=[Prerequisite.of(p) for p in e.prerequisites],
            sources=[LegalSource.of(s) for s in e.sources],
            verified=e.verified,
            notes=list(e.notes),
        )


@strawberry.type(description="Mức lương cơ sở đang áp dụng.")
class BaseSalaryInForce:
    amount: Dong = strawberry.field(description="Đồng/tháng.")
    effective_from: date = strawberry.field(description="Áp dụng từ ngày.")
    source: LegalSource = strawberry.field(description="Văn bản quy định.")
    adopted_by: str | None = strawberry.field(
        description="Người vận hành nền tảng đã ghi nhận (null: mức có sẵn trong hệ thống)."
    )

    @classmethod
    def of(cls, s: BaseSalary) -> BaseSalaryInForce:
        return cls(
            amount=Dong(s.amount),
            effective_from=s.effective_from,
            source=LegalSource.of(s.source),
            adopted_by=s.adopted_by,
        )


@strawberry.type(description="Một giá trị quy tắc đang áp dụng, kèm căn cứ.")
class RuleValueInForce:
    name: str = strawberry.field(description="Tên quy tắc (dùng trong adoptRules).")
    label: str = strawberry.field(description="Nội dung.")
    value: JSON = strawberry.field(description="Giá trị (tỷ lệ dạng [tử số, mẫu số]).")
    scope: str = strawberry.field(
        description="national (quy định của Nhà nước), province_setting (cài đặt của tỉnh, chưa có căn cứ "
        "quốc gia), province (tỉnh đã tự quy định)."
    )
    sources: list[LegalSource] = strawberry.field(description="Căn cứ.")
    verified: bool = strawberry.field(description="Đã đối chiếu được văn bản.")
    note: str | None = strawberry.field(description="Ghi chú về căn cứ.")

    @classmethod
    def of(cls, v: RuleValue) -> RuleValueInForce:
        return cls(
            name=v.name,
            label=v.label_vi,
            value=cast(JSON, v.value),
            scope=v.scope,
            sources=_sources(v.basis),
            verified=v.basis.verified,
            note=v.basis.note or None,
        )


@strawberry.type(description="Bộ quy tắc đang áp dụng tại một ngày (quốc gia và của tỉnh).")
class RuleSetInForce:
    version: str = strawberry.field(description="Phiên bản (quốc gia + các quy định của tỉnh).")
    effective_from: date = strawberry.field(description="Phiên bản quốc gia áp dụng từ ngày.")
    legal_basis: str = strawberry.field(description="Các văn bản làm căn cứ.")
    base_salary: BaseSalaryInForce | None = strawberry.field(
        description="Mức lương cơ sở; null trước 01/07/2019 (chưa có trong sổ cái)."
    )
    prize_table: str = strawberry.field(description="Bảng hệ số tiền thưởng đang áp dụng.")
    values: list[RuleValueInForce] = strawberry.field(description="Các giá trị quy tắc.")

    @classmethod
    def of(cls, r: RuleSetView) -> RuleSetInForce:
        return cls(
            version=r.version,
            effective_from=r.effective_from,
            legal_basis=r.legal_basis,
            base_salary=BaseSalaryInForce.of(r.base_salary) if r.base_salary else None,
            prize_table=r.prize_table,
            values=[RuleValueInForce.of(v) for v in r.values],
        )
