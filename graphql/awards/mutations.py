# mypy: disable-error-code="untyped-decorator"
# (strawberry.field with keyword options is typed as returning Any; resolvers stay typed)
"""Mutations on award proposals (đề nghị khen thưởng) through to the decision (quyết định) and its
revocation (hủy bỏ)."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from thidua.graphql.awards.types import AwardDecision, AwardProposal
from thidua.graphql.context import GraphQLContext
from thidua.graphql.core.commands import CommandInput, IdempotencyKey, MutationPayload, mutate, perform
from thidua.graphql.core.inputs import InputArg, RecipientInput, TextEntry, texts
from thidua.graphql.core.payloads import as_payload, read_back
from thidua.graphql.relay import objects
from thidua.services.access import Target
from thidua.services.handlers.awards import (
    AttachDocument,
    ForwardProposal,
    OpenDisclosure,
    RecordComment,
    RecordCouncilVote,
    RevokeAward,
    WithdrawProposal,
)


@strawberry.input(description="Đề nghị khen thưởng cho một tập thể hoặc cá nhân, kèm hồ sơ.")
class ProposeAwardInput(CommandInput):
    key: str = strawberry.field(description="Số (mã) tờ trình đề nghị, duy nhất trong tỉnh.")
    proposer: str = strawberry.field(description="Nơi đề nghị (mã khối hoặc đơn vị).")
    year: int = strawberry.field(description="Năm thành tích.")
    award: str = strawberry.field(description="Mã danh hiệu/hình thức, ví dụ co_thi_dua_ubnd_tinh.")
    authority: str = strawberry.field(
        description="Cấp quyết định: head_of_agency (thủ trưởng cơ quan), commune_chair (Chủ tịch UBND "
        "xã), provincial_chair (Chủ tịch UBND tỉnh), prime_minister (Thủ tướng), president (Chủ tịch nước)."
    )
    recipient: RecipientInput = strawberry.field(description="Đối tượng được đề nghị.")
    award_type: str = strawberry.field(
        default="thuong_xuyen",
        description="Loại hình khen thưởng: thuong_xuyen (thường xuyên), chuyen_de (theo đợt, chuyên đề), "
        "dot_xuat (đột xuất), cong_hien (quá trình cống hiến), nien_han (niên hạn), doi_ngoai (đối ngoại). "
        "Điều kiện tiên quyết về số năm chỉ áp dụng cho khen thưởng thường xuyên; loại hình khác phải nêu "
        "thành tích (achievement).",
    )
    achievement: str | None = strawberry.field(
        default=None, description="Mã thành tích (một thành tích chỉ được khen một lần)."
    )
    dossier: list[TextEntry] = strawberry.field(
        default_factory=list,
        description="Hồ sơ kèm theo (loại giấy tờ → số hiệu), ví dụ minutes, achievement_report.",
    )
    group: str | None = strawberry.field(
        default=None,
        description="Số tờ trình chung khi một tờ trình đề nghị cho cả danh sách (đề nghị theo nhóm).",
    )
    group_claimed_count: int | None = strawberry.field(
        default=None,
        description="Số lượng tờ trình chung nêu (ví dụ «06 tập thể»); chênh lệch với số đề nghị ghi tên "
        "được giữ nguyên và hiển thị.",
    )


@strawberry.input(description="Tệp đã tải lên kho của tỉnh (POST /attachments), theo mã băm.")
class AttachedFileInput:
    sha256: str = strawberry.field(description="Mã băm SHA-256 của tệp (64 chữ số hex), do kho trả về.")
    name: str = strawberry.field(description="Tên tệp (ví dụ Bien-ban-hop-xet.pdf).")


@strawberry.input(description="Bổ sung một giấy tờ vào hồ sơ đề nghị: số hiệu, tệp đã tải lên, hoặc cả hai.")
class AttachDocumentInput(CommandInput):
    proposal: str = strawberry.field(description="Số tờ trình đề nghị.")
    item: str = strawberry.field(
        description="Loại giấy tờ: minutes (biên bản họp xét), achievement_report (báo cáo thành "
        "tích), ballot_result, proposal_letter, initiative_certificate, appraisal, other."
    )
    reference: str | None = strawberry.field(default=None, description="Số hiệu, nơi lưu bản giấy.")
    file: AttachedFileInput | None = strawberry.field(
        default=None, description="Tệp đã tải lên; loại và dung lượng lấy từ kho, không từ người gửi."
    )

    def to_command(self) -> AttachDocument:
        return AttachDocument(
            proposal=self.proposal,
            item=self.item,
            reference=self.reference,
            file_sha256=self.file.sha256 if self.file else None,
            file_name=self.file.name if self.file else None,
        )


@strawberry.input(description="Công khai đề nghị để lấy ý kiến (số ngày làm việc theo bộ quy tắc).")
class OpenDisclosureInput(CommandInput):
    proposal: str = strawberry.field(description="Số tờ trình đề nghị.")
    channel: str = strawberry.field(description="Nơi công khai, ví dụ cổng thông tin điện tử tỉnh.")

    def to_command(self) -> OpenDisclosure:
        return OpenDisclosure(proposal=self.proposal, channel=self.channel)


@strawberry.input(description="Ghi nhận một ý kiến hoặc kiến nghị, phản ánh về đề nghị đang công khai.")
class RecordCommentInput(CommandInput):
    proposal: str = strawberry.field(description="Số tờ trình đề nghị.")
    author: str = strawberry.field(description="Người, cơ quan góp ý.")
    text: str = strawberry.field(description="Nội dung.")
    objection: bool = strawberry.field(default=False, description="Là ý kiến phản đối (kiến nghị, phản ánh).")

    def to_command(self) -> RecordComment:
        return RecordComment(
            proposal=self.proposal, author=self.author, text=self.text, objection=self.objection
        )


@strawberry.input(description="Ý kiến bằng văn bản của một thành viên Hội đồng vắng mặt.")
class WrittenOpinionInput:
    member: str = strawberry.field(description="Mã thành viên Hội đồng (vắng mặt, chưa bỏ phiếu).")
    choice: str = strawberry.field(description="Phương án, ví dụ approve hoặc reject.")
    reference: str = strawberry.field(description="Số hiệu, ngày của văn bản ghi ý kiến.")


@strawberry.input(description="Gắn kết quả bỏ phiếu của Hội đồng (đã kiểm phiếu) vào đề nghị.")
class RecordCouncilVoteInput(CommandInput):
    proposal: str = strawberry.field(description="Số tờ trình đề nghị.")
    ballot: str = strawberry.field(description="Mã cuộc bỏ phiếu của Hội đồng.")
    written_opinions: list[WrittenOpinionInput] = strawberry.field(
        default_factory=list,
        description="Ý kiến bằng văn bản của thành viên vắng mặt (CSTĐ cấp tỉnh, toàn quốc: được tính vào "
        "tỷ lệ 90% tổng số thành viên).",
    )

    def to_command(self) -> RecordCouncilVote:
        return RecordCouncilVote(
            proposal=self.proposal,
            ballot=self.ballot,
            written_opinions=tuple(
                {"member": o.member, "choice": o.choice, "reference": o.reference}
                for o in self.written_opinions
            ),
        )


@strawberry.input(description="Trình đề nghị lên cấp có thẩm quyền quyết định.")
class ForwardProposalInput(CommandInput):
    proposal: str = strawberry.field(description="Số tờ trình đề nghị.")

    def to_command(self) -> ForwardProposal:
        return ForwardProposal(proposal=self.proposal)


@strawberry.input(description="Rút đề nghị, kèm lý do.")
class WithdrawProposalInput(CommandInput):
    proposal: str = strawberry.field(description="Số tờ trình đề nghị.")
    reason: str = strawberry.field(description="Lý do rút.")

    def to_command(self) -> WithdrawProposal:
        return WithdrawProposal(proposal=self.proposal, reason=self.reason)


@strawberry.input(
    description="Một danh hiệu hoặc hình thức khen thưởng trong quyết định, với những người, tập thể được "
    "khen và số lượng văn bản nêu."
)
class DecisionGrantInput:
    award: str = strawberry.field(description="Mã danh hiệu/hình thức.")
    recipients: list[RecipientInput] = strawberry.field(description="Những người, tập thể được khen.")
    claimed_count: int | None = strawberry.field(
        default=None,
        description="Số lượng văn bản nêu cho danh hiệu này (ví dụ «06 tập thể»); chênh lệch được ghi nhận.",
    )


@strawberry.input(
    description="Quyết định khen thưởng: số quyết định, người ký, cấp quyết định, người được khen; một "
    "quyết định có thể tặng nhiều danh hiệu, hình thức cho hàng trăm người, tập thể."
)
class DecideAwardInput(CommandInput):
    number: str = strawberry.field(description="Số quyết định, ví dụ 123/QĐ-UBND.")
    signer: str = strawberry.field(description="Người ký, ví dụ Chủ tịch UBND tỉnh.")
    authority: str = strawberry.field(description="Cấp quyết định (phải khớp với danh hiệu).")
    year: int = strawberry.field(description="Năm thành tích.")
    award: str | None = strawberry.field(
        default=None, description="Mã danh hiệu/hình thức (khi quyết định chỉ tặng một danh hiệu)."
    )
    recipients: list[RecipientInput] = strawberry.field(
        default_factory=list, description="Những người, tập thể được khen danh hiệu «award»."
    )
    grants: list[DecisionGrantInput] = strawberry.field(
        default_factory=list,
        description="Các danh hiệu, hình thức khác của cùng quyết định, mỗi cái với người được khen; mỗi "
        "người, tập thể chỉ được nêu một lần trong quyết định.",
    )
    proposals: list[str] = strawberry.field(default_factory=list, description="Các đề nghị được quyết định.")
    claimed_count: int | None = strawberry.field(
        default=None,
        description="Số lượng văn bản nêu cho cả quyết định (chênh lệch với danh sách được ghi nhận, "
        "không sửa).",
    )
    historical: bool = strawberry.field(
        default=False, description="Nhập lại một quyết định đã có trước khi dùng hệ thống."
    )
    award_type: str = strawberry.field(
        default="thuong_xuyen", description="Loại hình khen thưởng (như ở đề nghị; phải khớp đề nghị)."
    )


@strawberry.input(description="Hủy bỏ (thu hồi) một quyết định khen thưởng bằng một quyết định mới.")
class RevokeAwardInput(CommandInput):
    number: str = strawberry.field(description="Số quyết định bị hủy bỏ.")
    revoking_decision: str = strawberry.field(description="Số quyết định hủy bỏ.")
    ground: str = strawberry.field(
        description="Căn cứ: fraudulent_achievements (khai man thành tích), false_documents (giả mạo hồ sơ), "
        "unlawful_approval (xét duyệt trái pháp luật), later_violation (vi phạm phát hiện sau)."
    )
    reason: str = strawberry.field(description="Lý do chi tiết.")
    recipients: list[str] | None = strawberry.field(
        default=None, description="Chỉ hủy cho những người, tập thể này (mặc định: tất cả)."
    )
    recover_object: bool = strawberry.field(default=True, description="Thu hồi hiện vật và tiền thưởng.")

    def to_command(self) -> RevokeAward:
        return RevokeAward(
            number=self.number,
            revoking_decision=self.revoking_decision,
            ground=self.ground,
            recipients=tuple(self.recipients) if self.recipients is not None else None,
            recover_object=self.recover_object,
            reason=self.reason,
        )


@strawberry.type(description="Kết quả thao tác ghi trên một đề nghị khen thưởng, kèm đề nghị sau khi ghi.")
class ProposalPayload(MutationPayload):
    @strawberry.field(description="Đề nghị sau thao tác (đọc lại tại «position»); null khi bị từ chối.")
    async def proposal(self, info: Info[GraphQLContext, Any]) -> AwardProposal | None:
        province = await read_back(info, self, "awardProposals")
        if province is None:
            return None
        return await objects.proposal(info.context.runtime.read_pool, province, str(self.key))


@strawberry.type(
    description="Kết quả thao tác ghi trên một quyết định khen thưởng, kèm quyết định sau khi ghi."
)
class DecisionPayload(MutationPayload):
    @strawberry.field(description="Quyết định sau thao tác (đọc lại tại «position»); null khi bị từ chối.")
    async def decision(self, info: Info[GraphQLContext, Any]) -> AwardDecision | None:
        province = await read_back(info, self, "awardDecisions")
        if province is None:
            return None
        return await objects.decision(info.context.runtime.read_pool, province, str(self.key))


@strawberry.type
class AwardMutations:
    @strawberry.mutation(
        description="Đề nghị khen thưởng; điều kiện tiên quyết được đối chiếu với hồ sơ lưu."
    )
    async def propose_award(
        self,
        info: Info[GraphQLContext, Any],
        input: InputArg[ProposeAwardInput],
        idempotency_key: IdempotencyKey = None,
    ) -> ProposalPayload:
        dossier = texts(input.dossier, "dossier")
        done = await perform(
            info,
            "proposeAward",
            input,
            lambda app, by: app.submit_proposal(
                key=input.key,
                proposer=input.proposer,
                year=input.year,
                award=input.award,
                authority=input.authority,
                recipient_kind=input.recipient.kind,
                recipient=input.recipient.key,
                achievement=input.achievement,
                dossier=dossier,
                by=by,
                award_type=input.award_type,
                group=input.group,
                group_claimed_count=input.group_claimed_count,
            ),
            idempotency_key,
            target=Target(block=input.proposer, year=input.year),
            key=input.key,
        )
        return as_payload(ProposalPayload, done)

    @strawberry.mutation(description="Bổ sung giấy tờ vào hồ sơ đề nghị.")
    async def attach_document(
        self,
        info: Info[GraphQLContext, Any],
        input: InputArg[AttachDocumentInput],
        idempotency_key: IdempotencyKey = None,
    ) -> ProposalPayload:
        return as_payload(ProposalPayload, await mutate(info, input, idempotency_key))

    @strawberry.mutation(description="Công khai đề nghị (ít nhất 10 ngày làm việc trước phiên họp Hội đồng).")
    async def open_disclosure(
        self,
        info: Info[GraphQLContext, Any],
        input: InputArg[OpenDisclosureInput],
        idempotency_key: IdempotencyKey = None,
    ) -> ProposalPayload:
        return as_payload(ProposalPayload, await mutate(info, input, idempotency_key))

    @strawberry.mutation(description="Ghi nhận ý kiến hoặc phản đối trong thời gian công khai.")
    async def record_comment(
        self,
        info: Info[GraphQLContext, Any],
        input: InputArg[RecordCommentInput],
        idempotency_key: IdempotencyKey = None,
    ) -> ProposalPayload:
        return as_payload(ProposalPayload, await mutate(info, input, idempotency_key))

    @strawberry.mutation(description="Gắn kết quả bỏ phiếu của Hội đồng vào đề nghị.")
    async def record_council_vote(
        self,
        info: Info[GraphQLContext, Any],
        input: InputArg[RecordCouncilVoteInput],
        idempotency_key: IdempotencyKey = None,
    ) -> ProposalPayload:
        return as_payload(ProposalPayload, await mutate(info, input, idempotency_key))

    @strawberry.mutation(
        description="Trình cấp có thẩm quyền; bị từ chối khi còn thiếu điều kiện tiên quyết."
    )
    async def forward_proposal(
        self,
        info: Info[GraphQLContext, Any],
        input: InputArg[ForwardProposalInput],
        idempotency_key: IdempotencyKey = None,
    ) -> ProposalPayload:
        return as_payload(ProposalPayload, await mutate(info, input, idempotency_key))

    @strawberry.mutation(description="Rút đề nghị khen thưởng.")
    async def withdraw_proposal(
        self,
        info: Info[GraphQLContext, Any],
        input: InputArg[WithdrawProposalInput],
        idempotency_key: IdempotencyKey = None,
    ) -> ProposalPayload:
        return as_payload(ProposalPayload, await mutate(info, input, idempotency_key))

    @strawberry.mutation(description="Ghi quyết định khen thưởng; hồ sơ người được khen ghi thêm danh hiệu.")
    async def decide_award(
        self,
        info: Info[GraphQLContext, Any],
        input: InputArg[DecideAwardInput],
        idempotency_key: IdempotencyKey = None,
    ) -> DecisionPayload:
        recipients = [(r.kind, r.key) for r in input.recipients]
        grants = [(g.award, [(r.kind, r.key) for r in g.recipients], g.claimed_count) for g in input.grants]
        done = await perform(
            info,
            "decideAward",
            input,
            lambda app, by: app.record_decision(
                number=input.number,
                signer=input.signer,
                authority=input.authority,
                award=input.award,
                year=input.year,
                recipients=recipients,
                claimed_count=input.claimed_count,
                proposals=list(input.proposals),
                historical=input.historical,
                by=by,
                award_type=input.award_type,
                grants=grants,
            ),
            idempotency_key,
            key=input.number,
        )
        return as_payload(DecisionPayload, done)

    @strawberry.mutation(
        description="Hủy bỏ quyết định khen thưởng (không bao giờ xóa); danh hiệu bị gạch, hiện vật thu hồi."
    )
    async def revoke_award(
        self,
        info: Info[GraphQLContext, Any],
        input: InputArg[RevokeAwardInput],
        idempotency_key: IdempotencyKey = None,
    ) -> DecisionPayload:
        return as_payload(DecisionPayload, await mutate(info, input, idempotency_key))
