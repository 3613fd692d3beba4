"""The GraphQL schema (lược đồ GraphQL), composed from the feature folders.

Each feature folder (tenancy, units, blocks, standings, ballots, awards, ratings, audit) keeps
its types, queries, mutations and loaders; this module only stacks their root classes and adds
the schema-wide extensions: error shaping (expected errors keep their code, the rest are
masked), parse and validation caches with the query limits checked on every request
(`core.limits`), and introspection off unless GraphiQL is on (production default).
`schema` is the development build, exported to `graphql/schema.graphql`.
"""

from __future__ import annotations

from collections.abc import Callable

import strawberry
from strawberry.extensions import DisableIntrospection, SchemaExtension

from thidua.graphql.audit.ledger import LedgerQueries
from thidua.graphql.audit.queries import AuditQueries, AuditSubscriptions
from thidua.graphql.awards.dossiers import DossierMutations, DossierQueries
from thidua.graphql.awards.history import AwardHistoryQueries
from thidua.graphql.awards.mutations import AwardMutations
from thidua.graphql.awards.queries import AwardQueries
from thidua.graphql.awards.records import RecordMutations
from thidua.graphql.ballots.mutations import BallotMutations
from thidua.graphql.ballots.queries import BallotQueries
from thidua.graphql.blocks.minutes import BlockMinutesMutations
from thidua.graphql.blocks.movements import MovementMutations
from thidua.graphql.blocks.mutations import BlockMutations
from thidua.graphql.core.dates import SCALAR_OVERRIDES
from thidua.graphql.core.keys import KEY_RULE, document_keys
from thidua.graphql.core.limits import limit_extensions
from thidua.graphql.core.money import SCALARS
from thidua.graphql.core.observed import ObserveOperation
from thidua.graphql.core.shaping import ThiduaSchema
from thidua.graphql.core.text import guard_root_text
from thidua.graphql.organisation.mutations import OrganisationMutations
from thidua.graphql.ratings.mutations import RatingMutations
from thidua.graphql.ratings.queries import RatingQueries
from thidua.graphql.relay.queries import NodeQueries
from thidua.graphql.rules.queries import RuleQueries
from thidua.graphql.scoring.mutations import ScoringMutations
from thidua.graphql.scoring.queries import StandingsQueries
from thidua.graphql.scoring.subscriptions import StandingsSubscriptions
from thidua.graphql.tenancy.mutations import TenancyMutations
from thidua.graphql.tenancy.queries import TenancyQueries
from thidua.graphql.units.mutations import UnitMutations
from thidua.graphql.units.queries import DirectoryQueries


@strawberry.type(description="Truy vấn gốc: mọi dữ liệu đọc được của tỉnh người gọi.")
class Query(
    TenancyQueries,
    NodeQueries,
    DirectoryQueries,
    StandingsQueries,
    BallotQueries,
    AwardQueries,
    DossierQueries,
    AwardHistoryQueries,
    RatingQueries,
    RuleQueries,
    AuditQueries,
    LedgerQueries,
):
    pass


@strawberry.type(
    description="Thao tác ghi: mỗi lệnh nghiệp vụ một trường, ghi sự kiện vào sổ cái tỉnh. " + KEY_RULE
)
class Mutation(
    OrganisationMutations,
    UnitMutations,
    BlockMutations,
    BlockMinutesMutations,
    MovementMutations,
    ScoringMutations,
    RatingMutations,
    BallotMutations,
    AwardMutations,
    DossierMutations,
    RecordMutations,
    TenancyMutations,
):
    pass


@strawberry.type(description="Theo dõi trực tiếp (subscriptions) qua WebSocket.")
class Subscription(AuditSubscriptions, StandingsSubscriptions):
    pass


def build_schema(*, introspection: bool = True) -> ThiduaSchema:
    """The schema with its extensions; `introspection=False` for production."""
    extensions: list[Callable[[], SchemaExtension]] = [*limit_extensions(), ObserveOperation]
    if not introspection:
        extensions.append(DisableIntrospection)
    built = ThiduaSchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        extensions=extensions,
        scalar_overrides={**SCALAR_OVERRIDES, **SCALARS},
    )
    guard_root_text(built._schema)
    document_keys(built._schema)
    return built


schema = build_schema()
