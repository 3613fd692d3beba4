"""Vietnamese text folded for search (bỏ dấu): "Trường Chính trị tỉnh" → "truong chinh tri tinh".

Clerks type names with or without diacritics, precomposed or decomposed; a search must find
"Trường Chính trị tỉnh" from "truong chinh tri". Decomposing (NFKD) splits a letter from its
marks (and a full-width form from its plain one), so dropping the combining marks leaves the
base letter; đ/Đ is the exception, a letter of its own for Unicode (U+0111, U+0110: no
decomposition), mapped to d here. Anything that is neither a letter nor a digit separates
words. The folding runs in Python, in the projection that writes the folded words and in the
query that folds the search, so both sides use the same rule on every PostgreSQL server (no
`unaccent` dictionary or extension to install).
"""

from __future__ import annotations

import unicodedata

_EXTRA = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "Ð": "d"})


def fold(text: str) -> str:
    """Lower case, without diacritics, words separated by single spaces."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_EXTRA))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return " ".join("".join(ch if ch.isalnum() else " " for ch in plain).split())


def words(text: str) -> list[str]:
    """The folded words of `text`, in order (duplicates kept)."""
    return fold(text).split()
