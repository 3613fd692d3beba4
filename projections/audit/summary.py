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
    "RatingSheet.Submitted": "Nộp bảng xếp loại tháng",
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
    "Ballot.Opened": "Mở cuộc bỏ phiếu",
    "Ballot.Tallied": "Kiểm phiếu",
    "Ballot.Sealed": "Niêm phong phiếu",
    "AwardProposal.Proposed": "Đề nghị khen thưởng",
    "AwardProposal.Disclosed": "Công khai đề nghị",
    "AwardProposal.CommentRecorded": "Ghi nhận ý kiến",
    "AwardProposal.ObjectionRecorded": "Ghi nhận ý kiến phản đối",
    "AwardProposal.CouncilVoted": "Hội đồng bỏ phiếu",
    "AwardProposal.Forwarded": "Chuyển đề nghị lên cấp trên",
    "AwardProposal.Rejected": "Không đề nghị / bị loại",
    "AwardDecision.Decided": "Quyết định khen thưởng",
    "AwardDecision.Revoked": "Hủy bỏ quyết định khen thưởng",
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
)

_SPECIAL: dict[str, Callable[[Payload], str]] = {
    "BlockScoring.ScoreAdjusted": lambda p: (
        f"Thẩm định chéo: {p.get('unit')} – {p.get('item')} từ {_num(p.get('old_points'))} "
        f"thành {_num(p.get('new_points'))} điểm (lý do: {p.get('reason')})"
    ),
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
