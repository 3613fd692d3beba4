"""Errors the command layer adds to the domain's: a missing aggregate, a concurrent change."""

from __future__ import annotations

from eventsourcing.persistence import OperationalError

from thidua.domain.errors import Conflict, NotFound


class UnitNotFound(NotFound):
    code = "UNIT_NOT_FOUND"


class StaffNotFound(NotFound):
    code = "STAFF_NOT_FOUND"


class BlockNotFound(NotFound):
    code = "BLOCK_NOT_FOUND"


class BlockYearNotFound(NotFound):
    code = "BLOCK_YEAR_NOT_FOUND"


class MovementNotFound(NotFound):
    code = "MOVEMENT_NOT_FOUND"


class ScoringNotFound(NotFound):
    code = "SCORING_TABLE_NOT_FOUND"


class RatingSheetNotFound(NotFound):
    code = "RATING_SHEET_NOT_FOUND"


class BallotNotFound(NotFound):
    code = "BALLOT_NOT_FOUND"


class CouncilNotFound(NotFound):
    code = "COUNCIL_NOT_FOUND"


class ProposalNotFound(NotFound):
    code = "PROPOSAL_NOT_FOUND"


class DecisionNotFound(NotFound):
    code = "DECISION_NOT_FOUND"


class DisciplinaryFileNotFound(NotFound):
    code = "DISCIPLINARY_FILE_NOT_FOUND"


class AlreadyExists(Conflict):
    """An aggregate with this natural key exists already (a second registration)."""

    code = "ALREADY_EXISTS"


class ConcurrentChange(Conflict):
    """Someone else changed the same record at the same moment: reload and try again."""

    code = "CONCURRENT_CHANGE"


class CommitOutcomeUnknown(OperationalError):
    """The connection broke while saving a command without an idempotency key and could not be
    re-established to look whether the COMMIT had landed. Not a refusal: the client hears
    SERVICE_UNAVAILABLE. (With a key there is nothing to look up now: the key is recorded in the
    same transaction as the events, and a retry with it finds out.)
    """


NOT_FOUND: dict[str, tuple[type[NotFound], str]] = {
    "unit": (UnitNotFound, "đơn vị"),
    "staff": (StaffNotFound, "cán bộ"),
    "block": (BlockNotFound, "khối thi đua"),
    "block-year": (BlockYearNotFound, "khối thi đua trong năm"),
    "movement": (MovementNotFound, "phong trào"),
    "scoring": (ScoringNotFound, "bảng chấm điểm"),
    "rating-sheet": (RatingSheetNotFound, "phiếu xếp loại"),
    "ballot": (BallotNotFound, "cuộc bỏ phiếu"),
    "council": (CouncilNotFound, "Hội đồng Thi đua – Khen thưởng"),
    "proposal": (ProposalNotFound, "đề nghị khen thưởng"),
    "decision": (DecisionNotFound, "quyết định khen thưởng"),
    "discipline": (DisciplinaryFileNotFound, "hồ sơ kỷ luật"),
}
