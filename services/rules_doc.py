"""The README's rules section, generated from the rule data (`python -m thidua.services.rules_doc`).

Every value the ledger judges and prices by, with its source and whether a text was found; a test
keeps the README equal to this output, so the published values are the ones the code uses.
"""

from __future__ import annotations

import json
import sys
from datetime import date

from thidua.domain.catalogue import CATALOGUE, REQUIREMENTS
from thidua.domain.prizes import BASE_SALARIES, PRIZE_TABLES, PrizeRate, format_dong
from thidua.domain.rule_values import META, PROVINCE_RULE_SETS, plain
from thidua.domain.rules import NATIONAL_DEFAULTS
from thidua.domain.sources import Basis

BEGIN = "<!-- rules:begin (generated: python -m thidua.services.rules_doc) -->"
END = "<!-- rules:end -->"


def _cite(basis: Basis | None) -> str:
    if basis is None:
        return "–"
    text = "; ".join(s.cite() for s in basis.sources) or "không có văn bản"
    return text + (f" ({basis.note})" if basis.note else "")


def _flag(basis: Basis | None) -> str:
    return "yes" if basis is not None and basis.verified else "**no**"


def _rate_text(rate: PrizeRate | None) -> str:
    if rate is None:
        return "–"
    if rate.listed_for == "collective":
        return f"{rate.multiple} (tập thể)"
    if "collective" not in CATALOGUE[rate.award].recipients:
        return f"{rate.multiple} (cá nhân)"
    return f"{rate.multiple} / {rate.multiple * 2}"


def _prizes() -> list[str]:
    heads = " | ".join(f"{t.version} (từ {t.effective_from:%d/%m/%Y})" for t in PRIZE_TABLES)
    lines = [
        f"| award | {heads} | sources (latest) | verified |",
        "|---|" + "---|" * len(PRIZE_TABLES) + "---|---|",
    ]
    for code in CATALOGUE:
        for authority in (None, "commune_chair"):
            rates = [t.rate(code, authority) for t in PRIZE_TABLES]
            narrowed = [r for r in rates if r is not None and r.authority == authority]
            if authority is not None and not narrowed:
                continue
            label = code + (f" ({authority})" if authority else "")
            latest = next((r for r in reversed(rates) if r is not None), None)
            cells = " | ".join(_rate_text(r) for r in rates)
            lines.append(
                f"| `{label}` | {cells} | {_cite(latest.basis if latest else None)} | "
                f"{_flag(latest.basis if latest else None)} |"
            )
    return lines


def _salaries() -> list[str]:
    lines = ["| from | base salary (đồng/tháng) | source |", "|---|---:|---|"]
    lines += [
        f"| {s.effective_from:%d/%m/%Y} | {format_dong(s.amount)} | {s.source.cite()} |"
        for s in BASE_SALARIES
    ]
    return lines


def _values() -> list[str]:
    lines = [
        "| value | scope | value by version | sources by date | verified (latest) |",
        "|---|---|---|---|---|",
    ]
    for name, meta in META.items():
        by_version = []
        last = None
        for rules in NATIONAL_DEFAULTS:
            value = json.dumps(plain(getattr(rules, name)), ensure_ascii=False)
            if value != last:
                by_version.append(f"{rules.effective_from:%d/%m/%Y}: `{value}`")
                last = value
        eras = "<br>".join(f"{since:%d/%m/%Y}: {_cite(b)}" for since, b in meta.eras)
        latest = meta.basis_on(date.max)
        versions = "<br>".join(by_version)
        lines.append(f"| `{name}` ({meta.label_vi}) | {meta.scope} | {versions} | {eras} | {_flag(latest)} |")
    return lines


def _prerequisites() -> list[str]:
    lines = ["| prerequisite | meaning | sources | verified |", "|---|---|---|---|"]
    for code, found in REQUIREMENTS.items():
        lines.append(f"| `{code}` | {found.description_vi} | {_cite(found.basis)} | {_flag(found.basis)} |")
    return lines


def _provinces() -> list[str]:
    lines = ["| province | rule set | values | source | verified |", "|---|---|---|---|---|"]
    for code, own in PROVINCE_RULE_SETS.items():
        values = "<br>".join(
            f"`{name}` = `{json.dumps(plain(value), ensure_ascii=False)}`" for name, value in own.overrides
        )
        lines.append(f"| `{code}` | `{own.version}` | {values} | {_cite(own.basis)} | {_flag(own.basis)} |")
    return lines


def render() -> str:
    parts = [
        BEGIN,
        "",
        "**Prize multiples** (of the base salary; individual / collective, the collective twice the "
        "individual for a form given to both; a collective-only title lists the collective's):",
        "",
        *_prizes(),
        "",
        "**Base salary** (later changes: `thidua rules adopt-base-salary`, recorded in every province):",
        "",
        *_salaries(),
        "",
        "**Rule values** (national unless a province sets its own; `province_setting`: no text found, "
        "a province may set it either way):",
        "",
        *_values(),
        "",
        "**Prerequisites** (checked against the record; regular awards only):",
        "",
        *_prerequisites(),
        "",
        "**Province rule sets built into the ledger**:",
        "",
        *_provinces(),
        "",
        END,
    ]
    return "\n".join(parts)


if __name__ == "__main__":
    sys.stdout.write(render() + "\n")
