"""`thidua report FORM` and `GET /reports/{FORM}.xlsx`: one form, one province, one year."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from thidua.services.paperwork.errors import UnknownKind
from thidua.services.paperwork.excel_out.book import Out
from thidua.services.paperwork.forms.circular02 import FORMS
from thidua.services.paperwork.forms.figures import lineage_figures, year_figures
from thidua.services.paperwork.forms.layout import Form, write_form

REPORT_OPERATION = "awardDecisions"  # the GraphQL read whose permission a report has


def check_form(code: str) -> str:
    if code not in FORMS:
        raise UnknownKind(f"Không có biểu «{code}»; chọn một trong: {', '.join(FORMS)}.", form=code)
    return code


async def build_form(
    pool: Any, province: str, province_name: str, code: str, year: int, *, predecessors: Sequence[str] = ()
) -> Form:
    """The form of `province`, with the figures of `predecessors` (provinces merged into it,
    named by the caller from the platform's lineage) when given."""
    if predecessors:
        figures = await lineage_figures(pool, [province, *predecessors], year)
    else:
        figures = await year_figures(pool, province, year)
    return FORMS[check_form(code)](figures, province_name)


async def write_report(
    pool: Any,
    province: str,
    province_name: str,
    code: str,
    *,
    year: int,
    out: Out,
    predecessors: Sequence[str] = (),
) -> Form:
    form = await build_form(pool, province, province_name, code, year, predecessors=predecessors)
    write_form(form, out)
    return form
