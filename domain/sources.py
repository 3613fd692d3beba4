"""Where a legal value comes from (căn cứ pháp lý): the document and the article, as data.

Every value the rules judge by carries its sources, so the API can show them beside the value and
nobody mistakes a province's own setting, or a value no text was found for, for national law.
`verified=False` marks a value no legal text was found for: it is a province setting with a
default, shown as such, and a province may set it either way.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Source:
    """One legal text: the document and the article (điều, khoản, điểm)."""

    document: str
    article: str

    def cite(self) -> str:
        return f"{self.document}, {self.article}" if self.article else self.document


@dataclass(frozen=True)
class Basis:
    """The sources of one value and whether a text confirming it was found."""

    sources: tuple[Source, ...]
    verified: bool = True
    note: str = ""


# The texts, named once.
LAW_2003 = "Luật Thi đua, Khen thưởng 2003 (sửa đổi 2005, 2013)"
LAW_2022 = "Luật Thi đua, Khen thưởng số 06/2022/QH15"
DECREE_91 = "Nghị định 91/2017/NĐ-CP"
DECREE_98 = "Nghị định 98/2023/NĐ-CP"
DECREE_152 = "Nghị định 152/2025/NĐ-CP"
DECREE_90 = "Nghị định 90/2020/NĐ-CP"
DECREE_48 = "Nghị định 48/2023/NĐ-CP"
DECREE_335 = "Nghị định 335/2025/NĐ-CP"
CIRCULAR_12_2019 = "Thông tư 12/2019/TT-BNV"
PARTY_GUIDE_21 = "Hướng dẫn 21-HD/BTCTW (2019), Quy định 124-QĐ/TW (2023)"
NGHE_AN_DRAFT = "Dự thảo quy định chấm điểm thi đua của tỉnh Nghệ An"


def src(document: str, article: str = "") -> Source:
    return Source(document, article)


def law(*sources: Source, note: str = "") -> Basis:
    """A value confirmed by the texts named."""
    return Basis(tuple(sources), True, note)


def unverified(*sources: Source, note: str) -> Basis:
    """A value no text was found for: a province setting, shown with `verified: false`."""
    return Basis(tuple(sources), False, note)
