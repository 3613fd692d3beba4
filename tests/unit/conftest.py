"""Fixtures for the domain's unit tests: provenance on a date, rules, an in-memory ledger."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.application import Application
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import JSONTranscoder

from thidua.domain.provenance import Actor, Provenance
from thidua.domain.rules import RuleSet, national_rules_in_force
from thidua.domain.transcodings import register_domain_transcodings

At = Callable[..., Provenance]


def provenance(
    day: str, user: str = "clerk", role: str = "province_admin", unit: str | None = None
) -> Provenance:
    """Provenance of a command taking effect on `day`, recorded at a fixed later instant."""
    return Provenance(
        actor=Actor(user=user, role=role, unit=unit),
        recorded_at=datetime(2026, 3, 1, 8, 0, tzinfo=UTC),
        effective_on=date.fromisoformat(day),
        correlation_id=f"test-{day}",
    )


def voter_provenance(voter: str, day: str, electorate: str = "block_members") -> Provenance:
    """Provenance of a paper cast by its voter: a member unit's clerk, or a council member."""
    by = provenance(day, user=voter, role="council_member")
    if electorate == "block_members":
        by = provenance(day, user=f"clerk-{voter}", role="unit_clerk", unit=voter)
    return by


@pytest.fixture
def at() -> At:
    return provenance


@pytest.fixture
def rules_on() -> Callable[[str], RuleSet]:
    return lambda day: national_rules_in_force(date.fromisoformat(day))


class MemoryLedger(Application[UUID]):
    """The library's application on POPO persistence, with the domain's transcodings."""

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        register_domain_transcodings(transcoder)

    def rebuilt(self, aggregate: Aggregate) -> Any:
        """Save, then read back from the stored (JSON-transcoded) events."""
        self.save(aggregate)
        return self.repository.get(aggregate.id)


@pytest.fixture
def rebuild() -> Callable[[Aggregate], Any]:
    """Save an aggregate in a fresh in-memory ledger and return it rebuilt from its events."""
    return lambda aggregate: MemoryLedger(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}).rebuilt(aggregate)
