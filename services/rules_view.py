"""What the rules say on a date, as read models (danh mục khen thưởng, bộ quy tắc đang áp dụng).

Built from the province's rule set in force on the date (national defaults, the province's own
rule set and adoptions, the base salary): one entry per award of the catalogue with its prize in
đồng, who decides it, its council threshold, whether it is published for comment, its
prerequisites with their descriptions, and the texts behind it. Every value carries its sources
and a `verified` flag; nothing unverified is presented as law.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from thidua.domain.catalogue import CATALOGUE, LOCAL_AUTHORITIES, Award, requirement
from thidua.domain.prerequisites import prerequisite_codes
from thidua.domain.prizes import BaseSalary
from thidua.domain.rule_values import RuleValue, describe
from thidua.domain.rules import RuleSet
from thidua.domain.sources import Basis, Source


@dataclass(frozen=True)
class PrizeView:
    individual_multiple: Decimal | None
    collective_multiple: Decimal | None
    base_salary: int | None
    individual_amount: int | None
    collective_amount: int | None
    basis: Basis | None


@dataclass(frozen=True)
class CouncilView:
    numerator: int
    denominator: int
    base: str  # all | present
    secret_ballot: bool
    ballot_required: bool
    written_opinions_allowed: bool


@dataclass(frozen=True)
class PrerequisiteView:
    code: str
    description: str
    applies_to: str  # individual | collective
    basis: Basis


@dataclass(frozen=True)
class CatalogueEntry:
    code: str
    name: str
    is_title: bool
    recipients: tuple[str, ...]
    authority: str
    authorities: tuple[str, ...]
    award_types: tuple[str, ...]
    prize: PrizeView
    disclosure_required: bool
    council_threshold: CouncilView | None
    prerequisites: tuple[PrerequisiteView, ...]
    sources: tuple[Source, ...]
    verified: bool
    notes: tuple[str, ...]


def _prize(entry: Award, rules: RuleSet) -> PrizeView:
    authority = entry.authority
    rate = rules.prize_table.rate(entry.code, authority)
    return PrizeView(
        individual_multiple=rules.prize_multiple(entry.code, False, authority),
        collective_multiple=rules.prize_multiple(entry.code, True, authority),
        base_salary=rules.base_salary.amount if rules.base_salary else None,
        individual_amount=rules.prize(entry.code, False, authority),
        collective_amount=rules.prize(entry.code, True, authority),
        basis=rate.basis if rate else None,
    )


def _council(entry: Award, rules: RuleSet) -> CouncilView | None:
    if all(a in LOCAL_AUTHORITIES for a in entry.authorities):
        return None  # decided below the province: no provincial council
    num, den = rules.threshold_for(entry.code)
    required = (
        entry.code in rules.council_ballot_required_for or rules.council_ballot_for_every_provincial_award
    )
    return CouncilView(
        num,
        den,
        rules.ballot_threshold_denominator,
        entry.code in rules.secret_ballot_required_for,
        required,
        entry.code in rules.written_opinions_allowed_for,
    )


def _prerequisites(entry: Award, rules: RuleSet) -> tuple[PrerequisiteView, ...]:
    views = []
    for kind in entry.recipients:
        for code in prerequisite_codes(entry.code, kind, rules):
            found = requirement(code)
            views.append(PrerequisiteView(code, found.description_vi, kind, found.basis))
    return tuple(views)


def catalogue_entry(entry: Award, rules: RuleSet) -> CatalogueEntry:
    prize = _prize(entry, rules)
    prerequisites = _prerequisites(entry, rules)
    bases = [entry.basis] + ([prize.basis] if prize.basis else []) + [p.basis for p in prerequisites]
    sources = tuple(dict.fromkeys(s for b in bases[:2] for s in b.sources))
    return CatalogueEntry(
        code=entry.code,
        name=entry.name_vi,
        is_title=entry.is_title,
        recipients=entry.recipients,
        authority=entry.authority,
        authorities=entry.authorities,
        award_types=entry.award_types,
        prize=prize,
        disclosure_required=entry.code in rules.disclosure_required_for,
        council_threshold=_council(entry, rules),
        prerequisites=prerequisites,
        sources=sources,
        verified=all(b.verified for b in bases),
        notes=tuple(dict.fromkeys(b.note for b in bases if b.note)),
    )


def award_catalogue(rules: RuleSet) -> list[CatalogueEntry]:
    """Every award of the catalogue, as the rules in force price and judge it."""
    return [catalogue_entry(entry, rules) for entry in CATALOGUE.values()]


@dataclass(frozen=True)
class RuleSetView:
    version: str
    effective_from: date
    legal_basis: str
    base_salary: BaseSalary | None
    prize_table: str
    values: tuple[RuleValue, ...]


def rule_set_view(rules: RuleSet, on: date) -> RuleSetView:
    return RuleSetView(
        version=rules.version,
        effective_from=rules.effective_from,
        legal_basis=rules.legal_basis,
        base_salary=rules.base_salary,
        prize_table=rules.prize_table.version,
        values=tuple(describe(rules, on)),
    )
