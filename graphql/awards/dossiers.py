# mypy: disable-error-code="untyped-decorator"
# (strawberry.field with keyword options is typed as returning Any; resolvers stay typed)
"""The board's handling of a dossier (xử lý hồ sơ đề nghị): mutations for each step and the
worklist `dossiers(status, assignedTo, overdue, first, after)`."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from thidua.graphql.awards.mutations import ProposalPayload
from thidua.graphql.awards.types import AwardProposal
from thidua.graphql.context import GraphQLContext
from thidua.graphql.core.commands import CommandInput, IdempotencyKey, perform, today_in_vietnam
from thidua.graphql.core.inputs import InputArg, TextEntry, texts
from thidua.graphql.core.pagination import Connection, connection, key_cursor, page_size
from thidua.graphql.core.payloads import as_payload
from thidua.graphql.core.permissions import guard
from thidua.graphql.core.reads import After, AtLeast, First, reader
from thidua.graphql.core.vocabulary import ProposalStatus
from thidua.projections.awards.worklist import count_dossiers, list_dossiers
from thidua.services.access import Target

PROPOSAL = "Số tờ trình đề nghị (mã hồ sơ)."


@strawberry.input(description="Tiếp nhận hồ sơ đề nghị (Ban Thi đua – Khen thưởng).")
class ReceiveDossierInput(CommandInput):
    proposal: str = strawberry.field(description=PROPOSAL)


@strawberry.input(description="Giao chuyên viên thẩm định hồ sơ; giao lại phải nêu lý do.")
class AssignDossierInput(CommandInput):
    proposal: str = strawberry.field(description=PROPOSAL)
    officer: str = strawberry.field(description="Mã chuyên viên được giao (như trong mã xác thực).")
    officer_name: str = strawberry.field(description="Họ tên chuyên viên.")
    reason: str | None = strawberry.field(default=None, description="Lý do (bắt buộc khi giao lại).")


@strawberry.input(description="Ghi kết quả thẩm định hồ sơ của chuyên viên.")
class AppraiseDossierInput(CommandInput):
    proposal: str = strawberry.field(description=PROPOSAL)
    finding: str = strawberry.field(description="Ý kiến thẩm định.")


@strawberry.input(description="Trả lại hồ sơ để bổ sung, sửa đổi (ở bất kỳ bước nào trước khi quyết định).")
class ReturnDossierInput(CommandInput):
    proposal: str = strawberry.field(description=PROPOSAL)
    reasons: list[str] = strawberry.field(description="Các lý do trả lại (ít nhất một).")


@strawberry.input(description="Nộp lại hồ sơ bị trả lại: một phiên bản mới, phiên bản cũ được giữ.")
class ResubmitDossierInput(CommandInput):
    proposal: str = strawberry.field(description=PROPOSAL)
    dossier: list[TextEntry] = strawberry.field(
        default_factory=list, description="Giấy tờ bổ sung, sửa đổi (loại giấy tờ → số hiệu)."
    )
    note: str | None = strawberry.field(default=None, description="Giải trình của đơn vị.")


@strawberry.input(description="Đơn vị đề nghị thu hồi hồ sơ (trước khi thẩm định), kèm lý do.")
class RecallDossierInput(CommandInput):
    proposal: str = strawberry.field(description=PROPOSAL)
    reason: str = strawberry.field(description="Lý do thu hồi.")


@strawberry.type
class DossierMutations:
    @strawberry.mutation(description="Tiếp nhận hồ sơ; hạn giao chuyên viên tính theo ngày làm việc.")
    async def receive_dossier(
        self,
        info: Info[GraphQLContext, Any],
        input: InputArg[ReceiveDossierInput],
        idempotency_key: IdempotencyKey = None,
    ) -> ProposalPayload:
        done = await perform(
            info,
            "receiveDossier",
            input,
            lambda app, by: app.receive_dossier(proposal=input.proposal, by=by),
            idempotency_key,
            key=input.proposal,
        )
        return as_payload(ProposalPayload, done)

    @strawberry.mutation(description="Giao chuyên viên thẩm định; hạn thẩm định tính theo ngày làm việc.")
    async def assign_dossier(
        self,
        info: Info[GraphQLContext, Any],
        input: InputArg[AssignDossierInput],
        idempotency_key: IdempotencyKey = None,
    ) -> ProposalPayload:
        done = await perform(
            info,
            "assignDossier",
            input,
            lambda app, by: app.assign_dossier(
                proposal=input.proposal,
                officer=input.officer,
                officer_name=input.officer_name,
                reason=input.reason,
                by=by,
            ),
            idempotency_key,
            key=input.proposal,
        )
        return as_payload(ProposalPayload, done)

    @strawberry.mutation(description="Ghi kết quả thẩm định hồ sơ.")
    async def appraise_dossier(
        self,
        info: Info[GraphQLContext, Any],
        input: InputArg[AppraiseDossierInput],
        idempotency_key: IdempotencyKey = None,
    ) -> ProposalPayload:
        done = await perform(
            info,
            "appraiseDossier",
            input,
            lambda app, by: app.appraise_dossier(proposal=input.proposal, finding=input.finding, by=by),
            idempotency_key,
            key=input.proposal,
        )
        return as_payload(ProposalPayload, done)

    @strawberry.mutation(
        description="Trả lại hồ sơ để bổ sung, sửa đổi, kèm lý do; hạn nộp lại theo ngày làm việc."
    )
    async def return_dossier(
        self,
        info: Info[GraphQLContext, Any],
        input: InputArg[ReturnDossierInput],
        idempotency_key: IdempotencyKey = None,
    ) -> ProposalPayload:
        done = await perform(
            info,
            "returnDossier",
            input,
            lambda app, by: app.return_dossier(proposal=input.proposal, reasons=list(input.reasons), by=by),
            idempotency_key,
            key=input.proposal,
        )
        return as_payload(ProposalPayload, done)

    @strawberry.mutation(description="Nộp lại hồ sơ bị trả lại (phiên bản mới; phiên bản cũ được giữ).")
    async def resubmit_dossier(
        self,
        info: Info[GraphQLContext, Any],
        input: InputArg[ResubmitDossierInput],
        idempotency_key: IdempotencyKey = None,
    ) -> ProposalPayload:
        dossier = texts(input.dossier, "dossier")
        done = await perform(
            info,
            "resubmitDossier",
            input,
            lambda app, by: app.resubmit_dossier(
                proposal=input.proposal, dossier=dossier, note=input.note, by=by
            ),
            idempotency_key,
            target=Target(proposal=input.proposal),
            key=input.proposal,
        )
        return as_payload(ProposalPayload, done)

    @strawberry.mutation(description="Thu hồi hồ sơ đề nghị (đơn vị đề nghị, trước khi thẩm định).")
    async def recall_dossier(
        self,
        info: Info[GraphQLContext, Any],
        input: InputArg[RecallDossierInput],
        idempotency_key: IdempotencyKey = None,
    ) -> ProposalPayload:
        done = await perform(
            info,
            "recallDossier",
            input,
            lambda app, by: app.recall_dossier(proposal=input.proposal, reason=input.reason, by=by),
            idempotency_key,
            target=Target(proposal=input.proposal),
            key=input.proposal,
        )
        return as_payload(ProposalPayload, done)


@strawberry.type
class DossierQueries:
    @strawberry.field(
        description="Danh sách hồ sơ đề nghị cần xử lý, theo số tờ trình: theo trạng thái, chuyên viên "
        "được giao, quá hạn.",
        extensions=guard("dossiers"),
    )
    async def dossiers(
        self,
        info: Info[GraphQLContext, Any],
        *,
        status: Annotated[
            ProposalStatus | None, strawberry.argument(description="Chỉ trạng thái này.")
        ] = None,
        assigned_to: Annotated[
            str | None, strawberry.argument(description="Chỉ hồ sơ giao cho chuyên viên này (mã).")
        ] = None,
        overdue: Annotated[
            bool | None,
            strawberry.argument(
                description="true: chỉ hồ sơ đã quá hạn bước hiện tại (so với hôm nay); false: chưa quá hạn."
            ),
        ] = None,
        first: First = None,
        after: After = None,
        at_least_position: AtLeast = None,
    ) -> Connection[AwardProposal]:
        caller = await reader(info, "dossiers", position=at_least_position)
        limit = page_size(first)
        today = today_in_vietnam().isoformat()
        rows = await list_dossiers(
            info.context.runtime.read_pool,
            caller.province,
            today=today,
            status=status.value if status is not None else None,
            assigned_to=assigned_to,
            overdue=overdue,
            after=key_cursor(after),
            limit=limit + 1,
        )
        return connection(
            rows,
            limit,
            key=lambda p: p.key,
            node=lambda p: AwardProposal.of(caller.province, p),
            counter=lambda: count_dossiers(
                info.context.runtime.read_pool,
                caller.province,
                today=today,
                status=status.value if status is not None else None,
                assigned_to=assigned_to,
                overdue=overdue,
            ),
        )
