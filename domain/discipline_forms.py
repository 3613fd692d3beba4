"""Disciplinary forms (hình thức kỷ luật), lightest first, and how a recorded form ranks.

The rules read the ladder: discipline from khiển trách up in the year makes a staff member's year
"Không hoàn thành nhiệm vụ" (Decree 335/2025); a collective is not "tiên tiến" with a member
disciplined from cảnh cáo up (Law 06/2022 Art. 28). Forms are recorded as the decision words
them, so they are matched by their code or Vietnamese name; a form not recognised ranks as
`UNRANKED`, which counts as serious (every disciplinary form is at least a reprimand, and a
prerequisite must not be met by a form nobody could classify).
"""

from __future__ import annotations

import unicodedata

FORMS: dict[str, str] = {
    "khien_trach": "khiển trách",
    "canh_cao": "cảnh cáo",
    "ha_bac_luong": "hạ bậc lương",
    "giang_chuc": "giáng chức",
    "cach_chuc": "cách chức",
    "buoc_thoi_viec": "buộc thôi việc",
}
LADDER = tuple(FORMS)
UNRANKED = len(LADDER)


def _plain(text: str) -> str:
    folded = unicodedata.normalize("NFD", text.strip().lower().replace("đ", "d"))
    return "".join(c for c in folded if unicodedata.category(c) != "Mn").replace(" ", "_")


_BY_NAME = {_plain(name): code for code, name in FORMS.items()} | {code: code for code in FORMS}


def rank(form: str) -> int:
    """The form's place on the ladder (0 = khiển trách), or UNRANKED."""
    code = _BY_NAME.get(_plain(form))
    return LADDER.index(code) if code is not None else UNRANKED


def at_least(form: str, bar: str) -> bool:
    """Whether a recorded `form` is `bar` (a ladder code) or heavier."""
    return rank(form) >= LADDER.index(bar)
