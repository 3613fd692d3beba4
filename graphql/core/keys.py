"""The natural keys of the API's inputs, documented where a client reads them: the schema.

Every input field that creates or names a key (a unit, a staff member, a block, a ballot…) gets
the same note appended to its description, and so do the document numbers that identify a
decision. The checks themselves run in the services (`services/commands/keys.py`, the pattern
in `domain/keys.py`), so the records importer is held to them too; tests/hostile/test_keys.py
walks the fields carrying the note and checks each one refuses a malformed key.
"""

from __future__ import annotations

from collections.abc import Mapping

from graphql import GraphQLInputObjectType, GraphQLSchema

from thidua.domain.keys import MAX_DOCUMENT_NUMBER_LENGTH, MAX_KEY_LENGTH

KEY_NOTE = (
    f"[Mã khóa: chữ thường không dấu a–z và chữ số; từ nối bằng - _ hoặc . ; phần nối bằng / ; "
    f"tối đa {MAX_KEY_LENGTH} ký tự; ví dụ so-noi-vu]"
)
DOCUMENT_NOTE = f"[Số hiệu văn bản: một dòng, tối đa {MAX_DOCUMENT_NUMBER_LENGTH} ký tự; ví dụ 1234/QĐ-UBND]"
KEY_RULE = (
    "Mã khóa (khóa tự nhiên) của mọi đối tượng theo một mẫu chung: chữ thường không dấu (a–z) và "
    "chữ số, các từ nối bằng «-», «_» hoặc «.», các phần nối bằng «/» (khóa ghép), tối đa "
    f"{MAX_KEY_LENGTH} ký tự, ví dụ so-noi-vu, cb-0042, khoi-dang/2025/xep-loai. Mã sai mẫu bị từ chối "
    "với MALFORMED_COMMAND và tên trường."
)

# input type -> its fields (API names) that create or name a key
KEY_FIELDS: Mapping[str, tuple[str, ...]] = {
    "AdoptRulesInput": ("version",),
    "RegisterUnitInput": ("key",),
    "RenameUnitInput": ("key",),
    "DissolveUnitInput": ("key", "successor"),
    "RegisterStaffInput": ("key", "unit"),
    "ChangeRatingGroupInput": ("staff",),
    "TransferStaffInput": ("staff", "unit"),
    "OpenDisciplinaryCaseInput": ("subjectKey", "case"),
    "CloseDisciplinaryCaseInput": ("subjectKey", "case"),
    "ImposeDisciplineInput": ("subjectKey",),
    "AppointCouncilMemberInput": ("member",),
    "ReleaseCouncilMemberInput": ("member",),
    "CreateBlockInput": ("key",),
    "ReformBlockInput": ("key",),
    "RenameBlockInput": ("key",),
    "DisbandBlockInput": ("key",),
    "OpenBlockYearInput": ("block", "members"),
    "AddBlockMemberInput": ("block", "unit"),
    "RemoveBlockMemberInput": ("block", "unit"),
    "EndBlockMemberPeriodInput": ("block", "unit"),
    "ChooseOfficersInput": ("block", "leader", "deputy", "ballot"),
    "SignPledgeInput": ("block", "unit", "movement"),
    "HoldReviewInput": ("block", "chairedBy"),
    "HoldBlockMeetingInput": ("block", "host"),
    "ChooseLeadingUnitsInput": ("block", "units", "ballot"),
    "LaunchMovementInput": ("key",),
    "EndMovementInput": ("key",),
    "RegisterTitleInput": ("registrant", "movement"),
    "RegisterExemplaryInput": ("registrant",),
    "AdoptScoringTableInput": ("block",),
    "CriterionInput": ("code",),
    "ScoreItemInput": ("code",),
    "SubmitSelfAssessmentInput": ("block", "unit", "bonuses", "deductions"),
    "CrossCheckAssessmentInput": ("block", "unit", "item"),
    "ClassifyUnitInput": ("block", "unit"),
    "RecordMonthlyRatingsInput": ("unit",),
    "StaffScoreInput": ("staff",),
    "CorrectRatingInput": ("unit", "staff"),
    "DeriveYearRatingInput": ("staff",),
    "OpenBallotInput": ("key", "subject", "block"),
    "CastVoteInput": ("ballot", "voter"),
    "CloseBallotInput": ("ballot", "present"),
    "RecordBallotWithoutFiguresInput": ("key", "subject", "block"),
    "DestroyBallotKeyInput": ("ballot",),
    "DeclareBallotUnopenableInput": ("ballot",),
    "ProposeAwardInput": ("key", "proposer"),
    "RecipientInput": ("key",),
    "AttachDocumentInput": ("proposal",),
    "OpenDisclosureInput": ("proposal",),
    "RecordCommentInput": ("proposal",),
    "RecordCouncilVoteInput": ("proposal", "ballot"),
    "ForwardProposalInput": ("proposal",),
    "WithdrawProposalInput": ("proposal",),
    "DecideAwardInput": ("proposals",),
    "RevokeAwardInput": ("recipients",),
    "RecognizeInitiativeInput": ("recipient", "initiative"),
    "NoteMemberStatsInput": ("unit",),
    "AbsorbRecordInput": ("recipient", "predecessor"),
}

DOCUMENT_FIELDS: Mapping[str, tuple[str, ...]] = {
    "DecisionInput": ("number",),
    "DecideAwardInput": ("number",),
    "RevokeAwardInput": ("number", "revokingDecision"),
}


def document_keys(schema: GraphQLSchema) -> None:
    """Append the key note (or the document-number note) to each field's description; refuses a
    table entry that names no field, so the table cannot drift silently from the inputs."""
    for table, note in ((KEY_FIELDS, KEY_NOTE), (DOCUMENT_FIELDS, DOCUMENT_NOTE)):
        for type_name, field_names in table.items():
            input_type = schema.get_type(type_name)
            if not isinstance(input_type, GraphQLInputObjectType):
                msg = f"key table names {type_name}, which is no input type"
                raise TypeError(msg)
            for name in field_names:
                field = input_type.fields.get(name)
                if field is None:
                    msg = f"key table names {type_name}.{name}, which does not exist"
                    raise TypeError(msg)
                if note not in (field.description or ""):
                    field.description = f"{field.description or ''} {note}".strip()
