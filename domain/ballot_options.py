"""What may be printed on a ballot paper (phương án trên phiếu), checked when a ballot opens.

A choice that is accepted at opening must be castable: a secret ballot's paper is sealed at a
fixed size, so an option longer than the seal holds would make every vote for it fail, and the
failure itself would say what the voter tried to choose. Options are compared in Unicode NFC,
so «Sở Nội vụ» typed precomposed or decomposed is one option, not two.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from .errors import MalformedCommand

MAX_OPTION_CHARS = 100  # the seal (services/ballot_seal.py) holds 4 bytes per character of this many
MAX_OPTIONS = 50
MIN_SECRET_OPTIONS = 2  # with one option, the tally of a secret ballot would publish every choice


def ballot_options(options: Sequence[str], *, secret: bool) -> list[str]:
    """The options in NFC, stripped, in the given order; a typed refusal naming the field otherwise."""
    least = MIN_SECRET_OPTIONS if secret else 1
    if not least <= len(options) <= MAX_OPTIONS:
        raise BallotOptionsCount(
            f"Phiếu phải có từ {least} đến {MAX_OPTIONS} phương án (đã nêu {len(options)}).",
            field="options",
            given=len(options),
            least=least,
            most=MAX_OPTIONS,
        )
    seen: dict[str, int] = {}
    cleaned: list[str] = []
    for number, raw in enumerate(options, start=1):
        option = unicodedata.normalize("NFC", raw).strip()  # stripped like every other text field
        if not option:
            raise BallotOptionEmpty(
                f"Phương án thứ {number} để trống.",
                field="options",
                number=number,
            )
        if any(unicodedata.category(c) in ("Cc", "Cs") for c in option):
            raise BallotOptionEmpty(
                f"Phương án thứ {number} chứa ký tự điều khiển.", field="options", number=number
            )
        if len(option) > MAX_OPTION_CHARS:
            raise BallotOptionTooLong(
                f"Phương án thứ {number} dài {len(option)} ký tự; tối đa {MAX_OPTION_CHARS} ký tự.",
                field="options",
                number=number,
                length=len(option),
                most=MAX_OPTION_CHARS,
            )
        if option in seen:
            raise BallotOptionDuplicate(
                f"Phương án thứ {number} trùng với phương án thứ {seen[option]}.",
                field="options",
                number=number,
                same_as=seen[option],
            )
        seen[option] = number
        cleaned.append(option)
    return cleaned


def ballot_choice(choice: str) -> str:
    """A choice as it is compared with the options (NFC, stripped like them)."""
    return unicodedata.normalize("NFC", choice).strip()


class BallotOptionsCount(MalformedCommand):
    code = "BALLOT_OPTIONS_COUNT"


class BallotOptionEmpty(MalformedCommand):
    code = "BALLOT_OPTION_EMPTY"


class BallotOptionTooLong(MalformedCommand):
    code = "BALLOT_OPTION_TOO_LONG"


class BallotOptionDuplicate(MalformedCommand):
    code = "BALLOT_OPTION_DUPLICATE"
