"""Isolation and access: every root query, mutation and subscription against bad callers.

The fields come from the served app's introspection, so a field added later is covered without
touching this file; one not in the permission matrix (and not knowingly public) fails the suite.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.hostile import figures
from tests.hostile.credentials import ALL_ROLES, BAD_CREDENTIALS, BadCredential
from tests.hostile.schema_walk import RootField, operation, post
from tests.hostile.sockets import subscribe
from tests.hostile.world import A_UNITS, B_UNITS, A, B, World
from thidua.graphql.core.permissions import MATRIX
from thidua.services.auth import Role

PUBLIC = {"viewer"}  # answers null for an unknown caller; shows only the caller's own token
# The platform operator's own acts name no province: a token without one, holding the operator
# role, is exactly who may call them (the permission matrix checks who else may not).
PLATFORM = {"mergeProvinces"}


def _codes(body: dict[str, Any]) -> list[str]:
    return [str((e.get("extensions") or {}).get("code")) for e in body.get("errors") or []]


class Findings:
    """Collects every wrong answer, so one run lists all of them, not just the first."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.problems: list[str] = []
        self.log_from = world.served.log_offset()

    def http(
        self, root: RootField, auth: str | bytes | None, expect: str | None, **extra: Any
    ) -> dict[str, Any]:
        """Send `root` (sample arguments, `extra` optional ones); `expect` a code, or None for data."""
        query, variables = operation(root, extra=extra)
        response = post(self.world.served.url, query, variables, authorization=auth, request_id=_rid())
        figures.add("hostile_cases")
        self._leaks(root, response.text)
        if response.status_code >= 500 or "Traceback" in response.text:
            self.problems.append(f"{root.id}: HTTP {response.status_code} {response.text[:200]}")
            return {}
        body: dict[str, Any] = response.json()
        codes = _codes(body)
        if expect is None and codes:
            self.problems.append(f"{root.id}: expected data, got {codes}")
        elif expect is not None and codes[:1] != [expect]:
            self.problems.append(f"{root.id}: expected {expect}, got {codes or body}")
        return body

    def socket(
        self, root: RootField, expect: str, *, header: str | None, init: dict[str, Any] | None
    ) -> None:
        query, variables = operation(root)
        outcome = subscribe(self.world.served.url, query, variables, header=header, init_payload=init)
        figures.add("hostile_cases")
        self._leaks(root, "\n".join(outcome.raw))
        refused = (outcome.kind == "closed" and outcome.close_code in {4403, 4401, 403}) or (
            outcome.kind == "error" and outcome.codes[:1] == [expect]
        )
        if not refused:
            self.problems.append(
                f"{root.id} (ws): expected {expect}, got {outcome.kind} {outcome.codes} {outcome.raw}"
            )

    def _leaks(self, root: RootField, text: str) -> None:
        found = self.world.leaks(text)
        if found:
            figures.add("leaks", len(found))
            self.problems.append(f"{root.id}: response carries another province's data {found}")

    def check(self) -> None:
        """Also: no log line written meanwhile carries A's data or reports an unexpected error."""
        for line in self.world.served.log_lines(self.log_from):
            text = str(line["raw"])
            found = self.world.leaks(text)
            if found and not str(line.get("request_id", "")).startswith("legit-"):
                figures.add("leaks", len(found))
                self.problems.append(f"log line carries another province's data {found}: {text[:300]}")
            if line.get("event") == "graphql_unexpected_error":
                self.problems.append(f"unexpected error logged: {text[:300]}")
        assert not self.problems, "\n".join(self.problems)


def _rid() -> str:
    return f"hostile-{uuid.uuid4().hex[:12]}"


def _role_token(world: World, province: str | None, *roles: str) -> str:
    unit = next(iter(A_UNITS)) if province == A else next(iter(B_UNITS))
    return world.bearer(province, *roles, unit=unit)


def test_every_root_field_is_guarded_by_the_permission_matrix_or_knowingly_public(world: World) -> None:
    unguarded = [f.id for f in world.fields if f.name not in MATRIX and f.name not in PUBLIC]
    assert not unguarded
    kinds = {f.kind for f in world.fields}
    assert kinds == {"query", "mutation", "subscription"}


@pytest.mark.parametrize("credential", BAD_CREDENTIALS, ids=lambda c: c.name)
def test_every_root_field_refuses_a_bad_credential_with_its_code(
    world: World, credential: BadCredential
) -> None:
    heads = (world.head(A), world.head(B))
    findings = Findings(world)
    header = credential.header(A, B)
    for root in world.fields:
        figures.add("access_cases")
        if root.kind == "subscription":
            if isinstance(header, str):
                findings.socket(root, credential.code, header=header, init=None)
                findings.socket(root, credential.code, header=None, init={"authorization": header})
            continue
        findings.http(root, header, None if root.name in PUBLIC else credential.code)
    findings.check()
    assert (world.head(A), world.head(B)) == heads, "a refused caller recorded an event"


def test_every_guarded_field_refuses_each_role_without_the_permission(world: World) -> None:
    heads = (world.head(A), world.head(B))
    findings = Findings(world)
    for root in world.fields:
        access = MATRIX.get(root.name)
        if access is None:
            continue
        for role in sorted({r.value for r in Role} - {r.value for r in access.roles}):
            figures.add("access_cases")
            token = _role_token(world, A, role)
            if root.kind == "subscription":
                findings.socket(root, "FORBIDDEN", header=None, init={"authorization": token})
            else:
                findings.http(root, token, "FORBIDDEN")
        for junk in ([], ["superuser"], ["PROVINCE_ADMIN"]):  # no role, unknown roles, wrong case
            figures.add("access_cases")
            token = _role_token(world, A, *junk)
            if root.kind != "subscription":
                findings.http(root, token, "FORBIDDEN")
    findings.check()
    assert (world.head(A), world.head(B)) == heads


def test_a_token_without_a_province_is_refused_on_every_guarded_field(world: World) -> None:
    findings = Findings(world)
    token = world.bearer(None, *ALL_ROLES)
    heads = (world.head(A), world.head(B))
    for root in world.fields:
        if root.name in PUBLIC or root.name in PLATFORM:
            continue
        figures.add("access_cases")
        if root.kind == "subscription":
            findings.socket(root, "FORBIDDEN", header=None, init={"authorization": token})
        else:
            findings.http(root, token, "FORBIDDEN")
    findings.check()
    assert (world.head(A), world.head(B)) == heads, "a token without a province recorded an event"


def test_another_provinces_token_reads_and_changes_nothing_of_it(world: World) -> None:
    """B's token with every role: naming A is refused; not naming it answers from B only; B's
    mutations aimed at A's keys (guessed) touch B's ledger only and never echo A's data."""
    head_a = world.head(A)
    findings = Findings(world)
    token = world.bearer(B, *ALL_ROLES, unit=next(iter(B_UNITS)))
    a_keys = list(A_UNITS)
    for root in world.fields:
        if root.kind == "subscription":
            continue
        figures.add("foreign_province_cases")
        if root.has_arg("province"):
            findings.http(root, token, "FORBIDDEN", province=A)
        if root.kind == "query":
            body = findings.http(root, token, None)
            assert body.get("data") is not None or body.get("errors"), root.id
        else:
            for key in a_keys[:2]:
                query, variables = operation(root)
                variables = _with_strings(variables, key)
                response = post(world.served.url, query, variables, authorization=token, request_id=_rid())
                figures.add("hostile_cases")
                findings._leaks(root, response.text)
                assert response.status_code < 500, (root.id, response.text)
    findings.check()
    assert world.head(A) == head_a, "B's token changed A's ledger"


def test_another_provinces_subscription_sees_none_of_its_new_events(world: World) -> None:
    subscriptions = [f for f in world.fields if f.kind == "subscription"]
    assert subscriptions
    token = world.bearer(B, "auditor", "province_admin")
    name = f"Đơn vị Mới Zq7Kx {uuid.uuid4().hex[:6]}"
    world.secrets.add(name)
    admin_a = world.bearer(A, "province_admin")
    findings = Findings(world)
    for root in subscriptions:
        import threading

        def write_in_a() -> None:
            post(
                world.served.url,
                "mutation($input: RegisterUnitInput!) { registerUnit(input: $input) { ok } }",
                {"input": {"key": f"moi-{uuid.uuid4().hex[:8]}", "name": name}},
                authorization=admin_a,
                request_id=f"legit-a-{uuid.uuid4().hex[:8]}",
            )

        timer = threading.Timer(0.3, write_in_a)
        timer.start()
        query, variables = operation(root)
        outcome = subscribe(
            world.served.url, query, variables, init_payload={"authorization": token}, listen_s=2.0
        )
        timer.join()
        figures.add("foreign_province_cases")
        figures.add("hostile_cases")
        findings._leaks(root, "\n".join(outcome.raw))
    findings.check()


def _with_strings(value: Any, text: str) -> Any:
    """`value` with every string replaced by `text` (here: a key that exists only in A)."""
    if isinstance(value, str):
        return text
    if isinstance(value, list):
        return [_with_strings(v, text) for v in value]
    if isinstance(value, dict):
        return {k: _with_strings(v, text) for k, v in value.items()}
    return value
