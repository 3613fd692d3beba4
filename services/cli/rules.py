"""`thidua rules`: values the platform operator adopts for every province (the base salary)."""

from __future__ import annotations

from datetime import date

import click

from thidua.domain.prizes import format_dong
from thidua.services.cli.common import fail, load_settings, registry
from thidua.services.errors import ApplicationError


@click.group("rules")
def rules_group() -> None:
    """Rule values adopted by the platform operator (quy tắc do người vận hành ghi nhận)."""


@rules_group.command("adopt-base-salary")
@click.option("--amount", type=click.IntRange(1), required=True, help="Đồng per month, e.g. 2600000.")
@click.option(
    "--from", "effective_from", type=click.DateTime(["%Y-%m-%d"]), required=True, help="Effective date."
)
@click.option("--basis", "legal_basis", required=True, help='The decree, e.g. "Nghị định 99/2026/NĐ-CP".')
@click.option("--article", default="", help='The article, e.g. "Điều 3 khoản 2".')
@click.option("--by", "operator", default="cli", help="The platform operator recording it.")
def adopt_base_salary(
    amount: int, effective_from: object, legal_basis: str, article: str, operator: str
) -> None:
    """Record a new base salary (mức lương cơ sở) in every province's rule book."""
    from thidua.services.base_salary import adopt_everywhere

    assert hasattr(effective_from, "date")
    day: date = effective_from.date()
    settings = load_settings()
    with registry(settings) as reg:
        try:
            done = adopt_everywhere(
                reg,
                amount=amount,
                effective_from=day,
                legal_basis=legal_basis,
                article=article,
                operator=operator,
            )
        except ApplicationError as exc:
            fail(exc)
            return
    for adoption in done:
        state = "already recorded" if adoption.position is None else f"position {adoption.position}"
        click.echo(f"{adoption.province}: {format_dong(amount)} đồng from {day.isoformat()} ({state})")
