"""Human-readable Vietnamese summaries of events (tóm tắt sự kiện) for the audit trail.

A summary is a pure function of the event type and its payload, so a rebuild writes the same
text. Unknown event types still get a readable line (their label and main keys), never an error.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Payload = dict[str, Any]

# Event type -> what happened, in the clerks' words.
LABELS: dict[str, str] = {
    "Unit.Registered": "Đăng ký đơn vị",
    "Unit.Renamed": "Đổi tên đơn vị",
    "Unit.Dissolved": "Giải thể đơn vị",
    "Unit.JoinedBlock": "Đơn vị tham gia khối thi đua",
    "Unit.LeftBlock": "Đơn vị rời khối thi đua",
    "StaffMember.Registered": "Đăng ký cán bộ",
    "StaffMember.RatingGroupChanged": "Đổi nhóm xếp loại",
    "StaffMember.KindChanged": "Ghi loại cán bộ (công chức, viên chức, người lao động)",
    "StaffMember.Transferred": "Điều chuyển cán bộ",
    "StaffMember.YearRatingDerived": "Xếp loại cuối năm",
    "EmulationBlock.Created": "Thành lập khối thi đua",
    "EmulationBlock.Renamed": "Đổi tên khối thi đua",
    "EmulationBlock.Disbanded": "Giải thể khối thi đua",
    "BlockYear.Opened": "Mở năm thi đua của khối",
    "BlockYear.MemberAdded": "Bổ sung thành viên khối",
    "BlockYear.MemberRemoved": "Đưa đơn vị ra khỏi khối",
    "BlockYear.OfficersChosen": "Bầu Khối trưởng, Khối phó",
    "BlockYear.PledgeSigned": "Ký giao ước thi đua",
    "BlockYear.ReviewHeld": "Hội nghị sơ kết / tổng kết",
    "BlockYear.LeadingUnitsChosen": "Suy tôn đơn vị dẫn đầu",
    "BlockScoring.TableAdopted": "Ban hành bảng chấm điểm",
    "BlockScoring.SelfAssessed": "Đơn vị tự chấm điểm",
    "BlockScoring.ScoreAdjusted": "Thẩm định chéo điều chỉnh điểm",
    "BlockScoring.UnitClassified": "Xếp loại đơn vị",
    "RatingSheet.Submitted": "Nộp bảng xếp loại tháng (quý)",
    "RatingSheet.RatingCorrected": "Sửa xếp loại tháng",
    "Movement.Launched": "Phát động phong trào thi đua",
    "Movement.Ended": "Kết thúc phong trào thi đua",
    "RegistrationBook.Opened": "Mở sổ đăng ký thi đua",
    "RegistrationBook.TitleRegistered": "Đăng ký danh hiệu thi đua",
    "RegistrationBook.ExemplaryRegistered": "Đăng ký nêu gương",
    "DisciplinaryFile.Opened": "Mở hồ sơ kỷ luật",
    "DisciplinaryFile.CaseOpened": "Mở vụ việc xem xét",
    "DisciplinaryFile.CaseClosed": "Kết thúc vụ việc",
    "DisciplinaryFile.DisciplineImposed": "Thi hành kỷ luật",
    "RuleBook.Opened": "Mở bộ quy tắc",
    "RuleBook.RuleSetAdopted": "Áp dụng bộ quy tắc",
    "RuleBook.PublicHolidaysDeclared": "Ghi nhận ngày nghỉ lễ trong năm",
    "RuleBook.BaseSalaryAdopted": "Ghi nhận mức lương cơ sở mới",
    "Ballot.Opened": "Mở cuộc bỏ phiếu",
    "Ballot.RecordedWithoutFigures": "Ghi nhận cuộc bỏ phiếu (không có số liệu)",
    "Ballot.OpenVoteCast": "Bỏ phiếu công khai",
    "Ballot.SealedPaperCast": "Bỏ phiếu kín (phiếu niêm phong)",
    "Ballot.Closed": "Kết thúc bỏ phiếu",
    "Ballot.Tallied": "Kiểm phiếu",
    "Ballot.SealingKeyDestroyed": "Hủy khóa niêm phong phiếu kín",
    "Ballot.DeclaredUnopenable": "Ghi nhận cuộc bỏ phiếu kín không mở được",
    "Council.Constituted": "Thành lập Hội đồng Thi đua – Khen thưởng",
    "Council.MemberAppointed": "Bổ nhiệm thành viên Hội đồng",
    "Council.MemberLeft": "Thành viên rời Hội đồng",
    "AwardProposal.Submitted": "Đề nghị khen thưởng",
    "AwardProposal.DocumentAttached": "Bổ sung hồ sơ đề nghị",
    "AwardProposal.DisclosureOpened": "Công khai đề nghị lấy ý kiến",
    "AwardProposal.CommentRecorded": "Ghi nhận ý kiến về đề nghị",
    "AwardProposal.CouncilVoted": "Hội đồng bỏ phiếu về đề nghị",
    "AwardProposal.Forwarded": "Trình cấp có thẩm quyền",
    "AwardProposal.Withdrawn": "Rút đề nghị",
    "AwardProposal.Decided": "Đề nghị đã có quyết định",
    "AwardDecision.Recorded": "Quyết định khen thưởng",
    "AwardDecision.Revoked": "Hủy bỏ quyết định khen thưởng",
    "AwardRecord.Opened": "Mở hồ sơ thi đua – khen thưởng",
    "AwardRecord.TitleEntered": "Ghi danh hiệu vào hồ sơ",
    "AwardRecord.TitleStruck": "Xóa danh hiệu khỏi hồ sơ (do hủy bỏ)",
    "AwardRecord.AchievementReserved": "Dùng thành tích cho một đề nghị",
    "AwardRecord.AchievementReleased": "Giải phóng thành tích",
    "AwardRecord.FactNoted": "Ghi nhận sự kiện vào hồ sơ",
    "AwardRecord.InitiativeRecognized": "Công nhận sáng kiến",
    "AwardRecord.PredecessorAbsorbed": "Tiếp nhận hồ sơ đơn vị sáp nhập",
}

# Payload keys worth naming in a summary, in order of interest.
_DETAIL_KEYS = (
    "name",
    "key",
    "unit",
    "staff",
    "block",
    "year",
    "month",
    "award",
    "recipient",
    "number",
    "leader",
    "deputy",
    "band",
    "total",
    "item",
    "new_points",
    "reason",
    "outcome",
    "fact",
    "value",
    "purpose",
    "decision",
    "revoking_decision",
    "quarter",
    "staff_kind",
    "award_type",
    "amount",
    "effective_from",
    "legal_basis",
    "prize_total",
)

_SPECIAL: dict[str, Callable[[Payload], str]] = {
    "BlockScoring.ScoreAdjusted": lambda p: (
        f"Thẩm định chéo: {p.get('unit')} – {p.get('item')} từ {_num(p.get('old_points'))} "
        f"thành {_num(p.get('new_points'))} điểm (lý do: {p.get('reason')})"
    ),
    "Ballot.SealedPaperCast": lambda p: f"Bỏ phiếu kín: {p.get('voter')} đã bỏ phiếu (nội dung niêm phong)",
    "BlockYear.OfficersChosen": lambda p: (
        f"Khối trưởng {p.get('leader')}, Khối phó {p.get('deputy') or '—'} "
        f"({'suy tôn' if p.get('method') == 'acclamation' else 'bỏ phiếu'})"
    ),
}


def _num(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def summarize(event_type: str, payload: Payload) -> str:
    special = _SPECIAL.get(event_type)
    if special is not None:
        return special(payload)
    label = LABELS.get(event_type) or event_type
    details = [
        f"{k}={_num(payload[k])}"
        for k in _DETAIL_KEYS
        if k in payload and isinstance(payload[k], str | int | float) and payload[k] != ""
    ]
    return f"{label}: {', '.join(details)}" if details else label
