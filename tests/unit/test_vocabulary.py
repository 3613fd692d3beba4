"""The API's enums are the domain's vocabularies, each value labelled in Vietnamese."""

from __future__ import annotations

from graphql import GraphQLEnumType

from thidua.domain.block_minutes import OFFICER_METHODS
from thidua.domain.block_year import CHOICE_METHODS
from thidua.domain.catalogue import AUTHORITY_NAMES_VI, AWARD_TYPES_VI, CATALOGUE
from thidua.domain.classification import BAND_NAMES_VI
from thidua.domain.units import BLOCK_KINDS
from thidua.graphql.core.vocabulary import AwardCode, DecisionStatus, known, of
from thidua.graphql.schema import schema
from thidua.services.auth import Role

# enum -> the codes the domain accepts (the enum must hold exactly these)
VOCABULARIES = {
    "AwardCode": set(CATALOGUE),
    "AwardType": set(AWARD_TYPES_VI),
    "Authority": set(AUTHORITY_NAMES_VI),
    "Role": {r.value for r in Role},
    "ChoiceMethod": set(CHOICE_METHODS),
    "OfficerMethod": set(OFFICER_METHODS),
    "BlockKind": set(BLOCK_KINDS),
    "ClassificationBand": set(BAND_NAMES_VI),
    "RecipientKind": {"unit", "staff"},
    "DecisionStatus": {"in_force", "revoked"},
    "BallotStatus": {"open", "closed", "tallied", "recorded_without_figures", "unopenable"},
}


def test_each_enum_holds_the_domains_codes_each_with_a_vietnamese_label() -> None:
    for name, codes in VOCABULARIES.items():
        enum = schema._schema.type_map[name]
        assert isinstance(enum, GraphQLEnumType), name
        assert set(enum.values) == codes, name
        for code, value in enum.values.items():
            assert value.value is not None
            assert value.description, (name, code)
    awards = schema._schema.type_map["AwardCode"]
    assert isinstance(awards, GraphQLEnumType)
    assert {c: v.description for c, v in awards.values.items()} == {
        c: a.name_vi for c, a in CATALOGUE.items()
    }


def test_known_gives_none_for_codes_outside_the_vocabulary() -> None:
    assert known(AwardCode, "giay_khen") is AwardCode("giay_khen")
    assert known(AwardCode, "bang_khen_lich_su_khong_co") is None
    assert known(AwardCode, None) is None
    assert of(DecisionStatus, "revoked").value == "revoked"
