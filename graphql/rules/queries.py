# mypy: disable-error-code="untyped-decorator"
# (strawberry.field with keyword options is typed as returning Any; resolvers stay typed)
"""Queries `awardCatalogue(on)` and `ruleSet(on)`: what the law and the province's rules say on a
date, readable by every role of the province."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from thidua.domain.rules import RuleSet
from thidua.graphql.context import GraphQLContext
from thidua.graphql.core.permissions import ProvinceArg, guard
from thidua.graphql.core.reads import reader
from thidua.graphql.rules.types import CatalogueAward, RuleSetInForce
from thidua.services.rules_view import award_catalogue, rule_set_view

OnArg = Annotated[date, strawberry.argument(description="Ngày áp dụng (ví dụ ngày quyết định).")]


async def _rules(info: Info[GraphQLContext, Any], province: str, on: date) -> RuleSet:
    runtime = info.context.runtime
    return await runtime.run_sync(lambda: runtime.registry.app(province).rules_on(on))


@strawberry.type
class RuleQueries:
    @strawberry.field(
        description="Danh mục danh hiệu thi đua, hình thức khen thưởng áp dụng tại ngày `on`: tiền thưởng "
        "(đồng), cấp quyết định, ngưỡng Hội đồng, công khai, điều kiện tiên quyết, căn cứ.",
        extensions=guard("awardCatalogue"),
    )
    async def award_catalogue(
        self, info: Info[GraphQLContext, Any], on: OnArg, province: ProvinceArg = None
    ) -> list[CatalogueAward]:
        caller = await reader(info, "awardCatalogue", province=province)
        rules = await _rules(info, caller.province, on)
        return [CatalogueAward.of(e) for e in award_catalogue(rules)]

    @strawberry.field(
        description="Bộ quy tắc áp dụng tại ngày `on`: mỗi giá trị kèm căn cứ và cờ đã đối chiếu.",
        extensions=guard("ruleSet"),
    )
    async def rule_set(
        self, info: Info[GraphQLContext, Any], on: OnArg, province: ProvinceArg = None
    ) -> RuleSetInForce:
        caller = await reader(info, "ruleSet", province=province)
        rules = await _rules(info, caller.province, on)
        return RuleSetInForce.of(rule_set_view(rules, on))
