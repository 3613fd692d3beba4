"""One eventsourcing application per province: its commands, its event store, its schema.

Each province's events live in `<schema>.ledger_events`, so provinces never wait on each other's
EXCLUSIVE insert lock, and an event of one province can never appear in another's history.
Command methods take primitives and a `Provenance`, and return the position (notification id)
of the last event they recorded, for read-your-writes. They live in feature mixins under
`services/commands/` and load aggregates by deterministic id (province + natural key).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from eventsourcing.persistence import JSONTranscoder, Recording

from thidua.domain.transcodings import register_domain_transcodings
from thidua.services.commands.awards import AwardCommands
from thidua.services.commands.ballots import BallotCommands
from thidua.services.commands.blocks import BlockCommands
from thidua.services.commands.dossiers import DossierCommands
from thidua.services.commands.keys import check_keys_of
from thidua.services.commands.lineage import LineageCommands
from thidua.services.commands.organisation import OrganisationCommands
from thidua.services.commands.scope_facts import ScopeFacts
from thidua.services.commands.scoring import ScoringCommands
from thidua.services.metrics import events_written


@check_keys_of  # every key a command creates or names is checked first (services/commands/keys.py)
class ProvinceApplication(
    OrganisationCommands,
    BlockCommands,
    ScoringCommands,
    BallotCommands,
    AwardCommands,
    DossierCommands,
    LineageCommands,
    ScopeFacts,
):
    """The write side of one province (tỉnh)."""

    name = "ledger"  # -> table <schema>.ledger_events

    def __init__(self, province: str, env: Mapping[str, str] | None = None) -> None:
        # Set before the library builds the repository: the command helpers read it.
        self.province = province
        super().__init__(env=env)

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        register_domain_transcodings(transcoder)

    def save(self, *objs: Any, **kwargs: Any) -> list[Recording[Any]]:
        recordings = super().save(*objs, **kwargs)
        events_written(self.province, len(recordings))  # /metrics
        return recordings

    @staticmethod
    def position_of(recordings: list[Recording[Any]]) -> int:
        """The province position of the last recorded event (0 when nothing was recorded)."""
        return max((r.notification.id for r in recordings), default=0)
