"""A person's identity across provinces (danh tính cá nhân): a national ID number kept only as a
keyed hash (HMAC under the deployment's key; the number itself is never in an event), linked to
the staff member who holds it in this province. One aggregate per hash, with a deterministic id,
so a successor finds "the same person" in a predecessor province by the hash alone.
"""

from __future__ import annotations

import re
from typing import Any

from .base import LedgerAggregate
from .errors import Conflict, MalformedCommand
from .ids import aggregate_id
from .provenance import Provenance

PERSON_HASH = re.compile(r"^[0-9a-f]{64}$")


class PersonIdentity(LedgerAggregate):
    """Who, in this province, holds the national ID whose keyed hash is `person_hash`."""

    class Linked(LedgerAggregate.Created):
        province: str
        person_hash: str
        staff: str

    def __init__(self, province: str, person_hash: str, staff: str) -> None:
        self.province = province
        self.person_hash = person_hash
        self.staff = staff

    @staticmethod
    def id_for(province: str, person_hash: str) -> Any:
        return aggregate_id(province, "person", person_hash)

    @classmethod
    def link(cls, province: str, person_hash: str, staff: str, by: Provenance) -> PersonIdentity:
        if not PERSON_HASH.fullmatch(person_hash):
            raise MalformedCommand("Mã băm định danh phải là 64 chữ số hex.", field="nationalId")
        return cls._start(
            cls.Linked,
            by,
            id=cls.id_for(province, person_hash),
            province=province,
            person_hash=person_hash,
            staff=staff,
        )


class PersonAlreadyLinked(Conflict):
    code = "PERSON_ALREADY_LINKED"
