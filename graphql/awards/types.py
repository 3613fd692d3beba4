"""Types of the awards register (sổ khen thưởng): proposals with their timeline, decisions, revocations."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, cast
from zoneinfo import ZoneInfo

import strawberry
from strawberry.scalars import JSON

from thidua.graphql.core.lineage import OriginProvince
from thidua.graphql.core.money import Dong, dong
from thidua.graphql.core.nodes import Node
from thidua.graphql.core.vocabulary import (
    Authority,
    AwardCode,
    AwardType,
    DecisionStatus,
    ProposalStatus,
    RecipientKind,
    known,
    of,
)
from thidua.projections.awards.model import (
    Decision,
    DossierEntry,
    DossierVersion,
    Proposal,
    TimelineStep,
    YearTotal,
)

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


@strawberry.type(
    description="Một bước của đề nghị: nộp, tiếp nhận, giao chuyên viên, thẩm định, trả lại, nộp lại, "
    "thu hồi, công khai, phản đối, Hội đồng bỏ phiếu, trình, quyết định, hủy bỏ."
)
class ProposalStep:
    status: str = strawberry.field(
        description="Bước: một giá trị của ProposalStatus viết thường (submitted, received, assigned, "
        "appraised, returned, recalled, council_rejected, forwarded, decided, withdrawn, revoked) hoặc "
        "resubmitted, disclosed, objected, council_vote."
    )
    position: int = strawberry.field(description="Vị trí sự kiện trong sổ cái.")
    recorded_at: str = strawberry.field(description="Thời điểm ghi nhận (ISO).")
    effective_on: str | None = strawberry.field(description="Ngày có hiệu lực (ISO).")
    detail: JSON = strawberry.field(description="Chi tiết của bước (ví dụ kết quả bỏ phiếu, số quyết định).")

    @classmethod
    def of(cls, s: TimelineStep) -> ProposalStep:
        return cls(
            status=s.status,
            position=s.position,
            recorded_at=s.recorded_at,
            effective_on=s.effective_on,
            detail=cast(JSON, dict(s.detail)),
        )


@strawberry.type(description="Tệp lưu trong kho của tỉnh (tải về: GET /attachments/{sha256}).")
class StoredFile:
    sha256: str = strawberry.field(description="Mã băm SHA-256 của nội dung (64 chữ số hex).")
    name: str | None = strawberry.field(description="Tên tệp.")
    media_type: str | None = strawberry.field(description="Loại tệp, nhận biết từ nội dung.")
    size: int | None = strawberry.field(description="Dung lượng (byte).")


@strawberry.type(description="Một giấy tờ của hồ sơ đề nghị: số hiệu và/hoặc tệp đã lưu.")
class DossierItem:
    item: str = strawberry.field(description="Loại giấy tờ (minutes, achievement_report…).")
    reference: str | None = strawberry.field(description="Số hiệu, nơi lưu bản giấy.")
    file: StoredFile | None = strawberry.field(description="Tệp đã lưu, nếu có.")
    position: int = strawberry.field(description="Vị trí sự kiện trong sổ cái.")
    effective_on: str | None = strawberry.field(description="Ngày có hiệu lực (ISO).")
    version: int = strawberry.field(description="Lần nộp (phiên bản hồ sơ) mà giấy tờ được bổ sung vào.")

    @classmethod
    def of(cls, e: DossierEntry) -> DossierItem:
        stored = e.file
        return cls(
            item=e.item,
            reference=e.reference,
            file=StoredFile(
                sha256=str(stored.get("sha256")),
                name=stored.get("name"),
                media_type=stored.get("media_type"),
                size=stored.get("size"),
            )
            if stored
            else None,
            position=e.position,
            effective_on=e.effective_on,
            version=e.version,
        )


@strawberry.type(description="Một phiên bản trước của hồ sơ (khi bị trả lại và nộp lại), giữ nguyên như cũ.")
class DossierVersionType:
    version: int = strawberry.field(description="Số phiên bản (lần nộp).")
    items: list[DossierItem] = strawberry.field(description="Giấy tờ của phiên bản đó.")

    @classmethod
    def of(cls, v: DossierVersion) -> DossierVersionType:
        return cls(version=v.version, items=[DossierItem.of(e) for e in v.entries])


@strawberry.type(description="Đề nghị khen thưởng (award proposal) và diễn biến của nó.")
class AwardProposal(Node):
    province: strawberry.Private[str]
    key: str = strawberry.field(description="Số tờ trình đề nghị.")
    year: int = strawberry.field(description="Năm thành tích.")
    award: str = strawberry.field(description="Mã danh hiệu/hình thức khen thưởng.")
    award_code: AwardCode | None = strawberry.field(
        description="Danh hiệu/hình thức trong danh mục, kèm tên tiếng Việt (null: mã ngoài danh mục)."
    )
    authority: Authority | None = strawberry.field(description="Cấp quyết định.")
    proposer: str | None = strawberry.field(description="Nơi đề nghị.")
    recipient_kind: RecipientKind = strawberry.field(description="unit (tập thể) hoặc staff (cá nhân).")
    recipient: str = strawberry.field(description="Mã đối tượng được đề nghị.")
    recipient_name: str | None = strawberry.field(description="Tên đối tượng.")
    status: ProposalStatus = strawberry.field(
        description="Trạng thái hiện tại (revoked khi quyết định đã bị hủy bỏ)."
    )
    decision: str | None = strawberry.field(description="Số quyết định khen thưởng, nếu đã quyết định.")
    comments: int = strawberry.field(description="Số ý kiến nhận được khi công khai.")
    objections: int = strawberry.field(description="Số ý kiến phản đối.")
    prerequisites_met: list[str] = strawberry.field(
        description="Điều kiện tiên quyết đã đáp ứng (đối chiếu hồ sơ)."
    )
    prerequisites_missing: list[str] = strawberry.field(description="Điều kiện tiên quyết còn thiếu.")
    timeline: list[ProposalStep] = strawberry.field(description="Diễn biến, theo thứ tự ghi nhận.")
    dossier: list[DossierItem] = strawberry.field(
        description="Hồ sơ kèm theo, theo thứ tự bổ sung (giấy tờ, số hiệu, tệp đã lưu)."
    )
    award_type: AwardType = strawberry.field(
        description="Loại hình khen thưởng: thuong_xuyen, chuyen_de, dot_xuat, cong_hien, nien_han, "
        "doi_ngoai."
    )
    version: int = strawberry.field(description="Phiên bản hồ sơ hiện tại (1, tăng mỗi lần nộp lại).")
    versions: list[DossierVersionType] = strawberry.field(
        description="Các phiên bản trước của hồ sơ (trước mỗi lần nộp lại), giữ nguyên."
    )
    assigned_to: str | None = strawberry.field(description="Chuyên viên được giao thẩm định (mã).")
    assigned_name: str | None = strawberry.field(description="Tên chuyên viên được giao.")
    due_on: str | None = strawberry.field(
        description="Hạn của bước hiện tại (ISO; tính theo ngày làm việc, trừ ngày nghỉ đã công bố)."
    )
    overdue: bool = strawberry.field(
        description="Đã quá hạn của bước hiện tại (so với hôm nay, giờ Việt Nam)."
    )
    return_reasons: list[str] = strawberry.field(description="Lý do của lần trả lại gần nhất.")
    group: str | None = strawberry.field(description="Số tờ trình chung (đề nghị theo danh sách), nếu có.")
    group_claimed_count: int | None = strawberry.field(description="Số lượng tờ trình chung nêu.")
    group_named_count: int | None = strawberry.field(
        description="Số đề nghị ghi tên đã ghi nhận dưới tờ trình chung."
    )
    group_count_mismatch: bool = strawberry.field(
        description="Số tờ trình chung nêu khác số đề nghị ghi tên (để lộ rõ, không sửa)."
    )

    def node_ref(self) -> tuple[str, str, str]:
        return "AwardProposal", self.province, self.key

    @classmethod
    def of(cls, province: str, p: Proposal) -> AwardProposal:
        return cls(
            province=province,
            key=p.key,
            year=p.year,
            award=p.award,
            award_code=known(AwardCode, p.award),
            authority=known(Authority, p.authority),
            proposer=p.proposer,
            recipient_kind=of(RecipientKind, p.recipient_kind),
            recipient=p.recipient,
            recipient_name=p.recipient_name,
            status=of(ProposalStatus, p.status),
            decision=p.decision,
            comments=p.comments,
            objections=p.objections,
            prerequisites_met=list(p.prerequisites_met),
            prerequisites_missing=list(p.prerequisites_missing),
            timeline=[ProposalStep.of(s) for s in p.timeline],
            dossier=[DossierItem.of(e) for e in p.dossier],
            award_type=of(AwardType, p.award_type),
            version=p.version,
            versions=[DossierVersionType.of(v) for v in p.versions],
            assigned_to=p.assigned_to,
            assigned_name=p.assigned_name,
            due_on=p.due_on,
            overdue=p.overdue(datetime.now(VIETNAM).date().isoformat()),
            return_reasons=list(p.return_reasons),
            group=p.group,
            group_claimed_count=p.group_claimed_count,
            group_named_count=p.group_named,
            group_count_mismatch=p.group_count_mismatch,
        )


@strawberry.type(description="Người hoặc tập thể được khen trong một quyết định, với tiền thưởng.")
class AwardRecipient:
    kind: RecipientKind = strawberry.field(description="unit (tập thể) hoặc staff (cá nhân).")
    key: str = strawberry.field(description="Mã đơn vị hoặc cán bộ.")
    name: str | None = strawberry.field(description="Tên.")
    award: str = strawberry.field(description="Danh hiệu/hình thức người, tập thể này được tặng.")
    prize_multiple: Decimal | None = strawberry.field(description="Hệ số tiền thưởng so với mức lương cơ sở.")
    prize_amount: Dong | None = strawberry.field(
        description="Tiền thưởng (đồng): hệ số × mức lương cơ sở ngày quyết định, làm tròn lên hàng chục "
        "nghìn; null với quyết định ghi trước khi có số tiền."
    )
    prerequisites_missing: list[str] = strawberry.field(
        description="Quyết định nhập lại từ hồ sơ lưu trữ: điều kiện tiên quyết mà sổ cái chưa có căn cứ "
        "(ghi nhận để thấy rõ, không từ chối)."
    )


@strawberry.type(description="Một lần hủy bỏ (thu hồi) quyết định khen thưởng.")
class Revocation:
    revoking_decision: str | None = strawberry.field(description="Số quyết định hủy bỏ.")
    ground: str | None = strawberry.field(description="Căn cứ hủy bỏ.")
    reason: str | None = strawberry.field(description="Lý do.")
    recipients: list[str] = strawberry.field(description="Những người, tập thể bị hủy (rỗng: tất cả).")
    recover_object: bool | None = strawberry.field(description="Thu hồi hiện vật và tiền thưởng.")
    effective_on: str | None = strawberry.field(description="Ngày có hiệu lực (ISO).")
    position: int | None = strawberry.field(description="Vị trí sự kiện trong sổ cái.")
    recover_amount: Dong | None = strawberry.field(description="Tiền thưởng thu hồi (đồng).")
    revoking_authority: Authority | None = strawberry.field(
        default=None,
        description="Cấp quyết định hủy bỏ, khi sổ cái ghi nó (tỉnh kế thừa hủy bỏ sau sáp nhập; người ký: "
        "trong sự kiện AwardRecord.InheritedTitleRevoked của nhật ký).",
    )
    recorded_in: str | None = strawberry.field(
        default=None,
        description="Tỉnh ghi việc hủy bỏ khi khác tỉnh của quyết định: tỉnh kế thừa hủy bỏ sau sáp nhập "
        "(revokePredecessorAward, đọc với includePredecessors); null: cùng tỉnh.",
    )


@strawberry.type(
    description="Một danh hiệu/hình thức của quyết định: số người, tập thể được nêu tên và số văn bản nêu."
)
class DecisionGrant:
    award: str = strawberry.field(description="Mã danh hiệu/hình thức.")
    named: int = strawberry.field(description="Số người, tập thể được nêu tên.")
    claimed_count: int | None = strawberry.field(description="Số lượng văn bản nêu (ví dụ «06 tập thể»).")
    count_mismatch: bool = strawberry.field(description="Số nêu khác số được nêu tên (để lộ rõ, không sửa).")


def _grant(g: Any) -> DecisionGrant:
    return DecisionGrant(
        award=str(g.get("award")),
        named=int(g.get("named") or 0),
        claimed_count=g.get("claimed_count"),
        count_mismatch=bool(g.get("count_mismatch")),
    )


def _recipient(r: Any, prize: Any, award: str, missing: Any = ()) -> AwardRecipient:
    line = prize or {}
    multiple = line.get("multiple")
    return AwardRecipient(
        kind=of(RecipientKind, str(r.get("kind"))),
        key=str(r.get("key")),
        name=r.get("name"),
        award=str(r.get("award") or award),
        prize_multiple=None if multiple is None else Decimal(str(multiple)),
        prize_amount=dong(line.get("amount")),
        prerequisites_missing=list(missing),
    )


def _revocation(r: Any) -> Revocation:
    return Revocation(
        revoking_decision=r.get("revoking_decision"),
        ground=r.get("ground"),
        reason=r.get("reason"),
        recipients=list(r.get("recipients") or []),
        recover_object=r.get("recover_object"),
        effective_on=r.get("effective_on"),
        position=r.get("position"),
        recover_amount=dong(r.get("recover_amount")),
        revoking_authority=known(Authority, r.get("revoking_authority")),
        recorded_in=r.get("recorded_in"),
    )


@strawberry.type(
    description="Quyết định khen thưởng (award decision): không bao giờ xóa, chỉ bị hủy bỏ bằng "
    "quyết định khác."
)
class AwardDecision(Node):
    province: strawberry.Private[str]
    number: str = strawberry.field(description="Số quyết định.")
    year: int = strawberry.field(description="Năm thành tích.")
    award: str = strawberry.field(description="Mã danh hiệu/hình thức (danh hiệu đầu tiên nếu có nhiều).")
    award_code: AwardCode | None = strawberry.field(
        description="Danh hiệu/hình thức trong danh mục, kèm tên tiếng Việt (null: mã ngoài danh mục, "
        "ví dụ quyết định nhập lại từ hồ sơ lưu trữ)."
    )
    authority: Authority | None = strawberry.field(description="Cấp quyết định.")
    signer: str | None = strawberry.field(description="Người ký.")
    status: DecisionStatus = strawberry.field(
        description="in_force (đang hiệu lực) hoặc revoked (đã hủy bỏ)."
    )
    recipients: list[AwardRecipient] = strawberry.field(description="Những người, tập thể được khen.")
    claimed_count: int | None = strawberry.field(description="Số lượng văn bản nêu cho cả quyết định.")
    count_mismatch: bool = strawberry.field(
        description="Số nêu (của cả quyết định hoặc của một danh hiệu) khác danh sách được khen (để lộ rõ, "
        "không sửa)."
    )
    named_count: int = strawberry.field(description="Số người, tập thể được nêu tên trong quyết định.")
    grants: list[DecisionGrant] = strawberry.field(
        description="Các danh hiệu, hình thức của quyết định, mỗi cái với số được nêu tên và số văn bản nêu."
    )
    proposals: list[str] = strawberry.field(description="Các đề nghị được quyết định.")
    historical: bool = strawberry.field(description="Quyết định có trước hệ thống, được nhập lại.")
    prize_multiple_total: Decimal | None = strawberry.field(
        description="Tổng hệ số tiền thưởng (bội số mức lương cơ sở)."
    )
    decided_on: str | None = strawberry.field(description="Ngày quyết định (ISO).")
    revocations: list[Revocation] = strawberry.field(description="Các lần hủy bỏ.")
    prize_total: Dong | None = strawberry.field(
        description="Tổng tiền thưởng của quyết định (đồng); null với quyết định ghi trước khi có số tiền."
    )
    base_salary: Dong | None = strawberry.field(description="Mức lương cơ sở áp dụng vào ngày quyết định.")
    base_salary_source: str | None = strawberry.field(description="Văn bản quy định mức lương cơ sở đó.")
    prize_table: str | None = strawberry.field(description="Bảng hệ số tiền thưởng áp dụng.")
    award_type: AwardType | None = strawberry.field(description="Loại hình khen thưởng.")

    def node_ref(self) -> tuple[str, str, str]:
        return "AwardDecision", self.province, self.number

    @strawberry.field(  # type: ignore[untyped-decorator]  # keyword options: typed as Any
        name="province",
        description="Tỉnh ghi quyết định: tỉnh của người gọi, hoặc một tỉnh trước sáp nhập của nó "
        "(includePredecessors).",
    )
    def province_code(self) -> str:
        return self.province

    @strawberry.field(  # type: ignore[untyped-decorator]  # keyword options: typed as Any
        description="Tỉnh gốc của quyết định (mã, tên): tỉnh của người gọi, hoặc tỉnh trước sáp nhập."
    )
    def origin_province(self) -> OriginProvince:
        return OriginProvince(code=self.province)

    @classmethod
    def of(cls, province: str, d: Decision) -> AwardDecision:
        lines = {str(p.get("recipient")): p for p in d.prizes}
        return cls(
            province=province,
            number=d.number,
            year=d.year,
            award=d.award,
            award_code=known(AwardCode, d.award),
            authority=known(Authority, d.authority),
            signer=d.signer,
            status=of(DecisionStatus, d.status),
            recipients=[
                _recipient(
                    r,
                    lines.get(str(r.get("key"))),
                    d.award,
                    d.prerequisites_missing.get(str(r.get("key")), ()),
                )
                for r in d.recipients
            ],
            claimed_count=d.claimed_count,
            count_mismatch=d.count_mismatch,
            named_count=len(d.recipients),
            grants=[_grant(g) for g in d.grants]
            or [_grant({"award": d.award, "named": len(d.recipients), "count_mismatch": False})],
            proposals=list(d.proposals),
            historical=d.historical,
            prize_multiple_total=None if d.prize_multiple_total is None else Decimal(d.prize_multiple_total),
            decided_on=d.decided_on,
            revocations=[_revocation(r) for r in d.revocations],
            prize_total=dong(d.prize_total),
            base_salary=dong(d.base_salary),
            base_salary_source=d.base_salary_source,
            prize_table=d.prize_table,
            award_type=known(AwardType, d.award_type),
        )


@strawberry.type(description="Tổng tiền thưởng của các quyết định thuộc một năm thành tích (đồng).")
class AwardYearTotal:
    year: int = strawberry.field(description="Năm thành tích.")
    decisions: int = strawberry.field(description="Số quyết định.")
    recipients: int = strawberry.field(description="Số lượt người, tập thể được khen.")
    amount: Dong = strawberry.field(description="Tổng tiền thưởng đã quyết định (kể cả quyết định bị hủy).")
    recovered: Dong = strawberry.field(description="Tiền thưởng thu hồi do hủy bỏ.")
    net: Dong = strawberry.field(description="Còn lại: tổng trừ thu hồi.")
    unpriced: int = strawberry.field(description="Số quyết định ghi trước khi có số tiền (không tính).")

    @classmethod
    def of(cls, t: YearTotal) -> AwardYearTotal:
        return cls(
            year=t.year,
            decisions=t.decisions,
            recipients=t.recipients,
            amount=Dong(t.amount),
            recovered=Dong(t.recovered),
            net=Dong(t.net),
            unpriced=t.unpriced,
        )
