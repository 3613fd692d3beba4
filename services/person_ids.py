"""National ID numbers (số định danh cá nhân / CCCD) as keyed hashes, never stored in clear.

`person_hash` is HMAC-SHA256 under the deployment's key (`THIDUA_PERSON_ID_KEY`) of the number's
digits: the same person gets the same hash in every province of one deployment, and nobody
without the key can test a guessed number against a stored hash (a plain hash of twelve digits
would fall to a search of every number).
"""

from __future__ import annotations

import hashlib
import hmac
import re

from thidua.domain.errors import MalformedCommand
from thidua.services.errors import ApplicationError

NATIONAL_ID = re.compile(r"^(\d{9}|\d{12})$")  # CMND (9) or CCCD / số định danh (12)


def person_hash(key: str | None, national_id: str) -> str:
    """The keyed hash of a national ID number (spaces and dots ignored)."""
    if key is None:
        raise PersonIdKeyMissing(
            "Hệ thống chưa cấu hình khóa định danh (THIDUA_PERSON_ID_KEY): không thể đối chiếu cá nhân "
            "giữa các tỉnh."
        )
    digits = re.sub(r"[\s.]", "", national_id)
    if not NATIONAL_ID.fullmatch(digits):
        raise MalformedCommand(
            "Số định danh cá nhân phải có 12 chữ số (hoặc CMND 9 chữ số).", field="nationalId"
        )
    return hmac.new(key.encode(), digits.encode(), hashlib.sha256).hexdigest()


class PersonIdKeyMissing(ApplicationError):
    code = "PERSON_ID_KEY_MISSING"
