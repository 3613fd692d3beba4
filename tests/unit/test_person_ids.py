"""National ID numbers become keyed hashes: the same person matches within a deployment, the
number itself is never kept, and nothing is matched without the deployment's key."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from thidua.domain.errors import MalformedCommand
from thidua.domain.people import PersonIdentity
from thidua.domain.provenance import Provenance
from thidua.services.person_ids import PersonIdKeyMissing, person_hash
from thidua.services.settings import Settings, SettingsError

KEY = "k" * 32


def test_the_same_number_gives_the_same_hash_whatever_its_spacing() -> None:
    assert person_hash(KEY, "001 085 012 345") == person_hash(KEY, "001085012345")
    assert "001085012345" not in person_hash(KEY, "001085012345")


def test_another_deployments_key_gives_another_hash() -> None:
    assert person_hash(KEY, "001085012345") != person_hash("z" * 32, "001085012345")


def test_no_key_no_matching_and_a_malformed_number_is_refused() -> None:
    with pytest.raises(PersonIdKeyMissing):
        person_hash(None, "001085012345")
    with pytest.raises(MalformedCommand):
        person_hash(KEY, "00108501234X")


def test_the_key_setting_must_be_long_enough() -> None:
    base = {"THIDUA_ENV": "test", "THIDUA_JWT_SECRET": "s" * 40}
    with pytest.raises(SettingsError):
        Settings.from_env(base | {"THIDUA_PERSON_ID_KEY": "short"})
    assert Settings.from_env(base | {"THIDUA_PERSON_ID_KEY": KEY}).person_id_key == KEY


def test_a_person_identity_holds_the_hash_only(at: Callable[..., Provenance]) -> None:
    digest = person_hash(KEY, "001085012345")
    linked = PersonIdentity.link("ha-nam", digest, "nguyen-van-a", at("2025-01-01"))
    assert (linked.person_hash, linked.staff) == (digest, "nguyen-van-a")
    assert linked.id == PersonIdentity.id_for("ha-nam", digest)
    with pytest.raises(MalformedCommand):
        PersonIdentity.link("ha-nam", "001085012345", "nguyen-van-a", at("2025-01-01"))
