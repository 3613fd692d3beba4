"""The dispatcher (services/dispatch.py) runs typed commands without the GraphQL layer:
provenance stamped, the role admitted on the record, refusals as values, a key honoured."""

from __future__ import annotations

from datetime import date

import pytest

from thidua.services.access import Caller, Candidate, Scope
from thidua.services.auth import PermissionDenied, Principal, Role
from thidua.services.dispatch import Origin, dispatch
from thidua.services.handlers.units import RegisterStaff, RegisterUnit
from thidua.services.runtime import Runtime

PROVINCE = "nghe-an"
ADMIN = Principal("ban-tdkt", PROVINCE, frozenset({Role.PROVINCE_ADMIN}))
CLERK = Principal("can-bo", PROVINCE, frozenset({Role.UNIT_CLERK}), unit="so-tai-chinh")


def caller(principal: Principal, role: Role, scope: Scope = Scope.ANY) -> Caller:
    return Caller(principal, PROVINCE, (Candidate(role, scope),))


async def test_a_command_is_stamped_recorded_and_replayed_for_its_key(runtime: Runtime) -> None:
    await runtime.run_sync(lambda: runtime.registry.create_province(PROVINCE, "Nghệ An", created_by="op"))
    admin = caller(ADMIN, Role.PROVINCE_ADMIN)
    origin = Origin("req-1", effective_on=date(2025, 1, 2))
    command = RegisterUnit(key="so-tai-chinh", name="Sở Tài chính")
    first = await dispatch(runtime, admin, command, origin, "k-1")
    assert first.ok
    assert first.position is not None
    assert (first.key, first.correlation_id, first.replayed) == ("so-tai-chinh", "req-1", False)
    again = await dispatch(runtime, admin, command, origin, "k-1")
    assert (again.position, again.replayed) == (first.position, True)
    async with runtime.read_pool.acquire() as conn:
        row = await conn.fetchrow(
            "SELECT count(*) AS n, max(convert_from(state, 'UTF8')) AS state FROM p_nghe_an.ledger_events"
        )
    assert row["n"] == 1
    assert "ban-tdkt" in row["state"]  # the actor the dispatcher stamped
    assert "2025-01-02" in row["state"]  # the effective date the caller gave


async def test_a_refusal_is_a_value_and_a_scope_refusal_is_raised(runtime: Runtime) -> None:
    await runtime.run_sync(lambda: runtime.registry.create_province(PROVINCE, "Nghệ An", created_by="op"))
    admin = caller(ADMIN, Role.PROVINCE_ADMIN)
    origin = Origin("req-2")
    unit = RegisterUnit(key="so-tai-chinh", name="Sở Tài chính")
    assert (await dispatch(runtime, admin, unit, origin, None)).ok
    twice = await dispatch(runtime, admin, unit, origin, None)
    assert not twice.ok
    assert twice.position is None
    assert twice.errors[0].code == "ALREADY_EXISTS"
    # A clerk registering staff in another unit: the caller is refused (FORBIDDEN), not the input.
    clerk = caller(CLERK, Role.UNIT_CLERK, Scope.OWN_UNIT)
    other = RegisterStaff(
        key="nv-1", name="Nguyễn Văn A", unit="so-y-te", rating_group="specialists", staff_kind=None
    )
    with pytest.raises(PermissionDenied):
        await dispatch(runtime, clerk, other, origin, None)
