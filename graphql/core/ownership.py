"""Acting for one's own unit (đơn vị của mình) when the unit is known only from the record.

The permission matrix checks the unit named in a mutation's input before anything runs. Some
commands name a staff member instead (a year rating, a person's registration); for a unit clerk
the command itself then checks, inside the worker thread and before recording, that the person
belongs to the clerk's unit.
"""

from __future__ import annotations

from thidua.domain.provenance import Provenance
from thidua.services.auth import PermissionDenied, Role
from thidua.services.province_app import ProvinceApplication


def limited_unit(by: Provenance) -> str | None:
    """The unit a caller acting as a unit clerk is limited to (None: not limited)."""
    return by.actor.unit if by.actor.role == Role.UNIT_CLERK.value else None


def staff_unit(app: ProvinceApplication, staff: str) -> str:
    """The unit a staff member belongs to now (STAFF_NOT_FOUND when unknown)."""
    return str(app.get_staff(staff)["unit"])


def check_own_staff(app: ProvinceApplication, by: Provenance, staff: str, operation: str) -> None:
    unit = limited_unit(by)
    if unit is not None and staff_unit(app, staff) != unit:
        raise PermissionDenied(
            f"Bạn chỉ được thực hiện «{operation}» cho cán bộ của đơn vị mình.",
            operation=operation,
            staff=staff,
        )


def check_own_registrant(
    app: ProvinceApplication, by: Provenance, kind: str, key: str, operation: str
) -> None:
    """A unit registers itself and its staff; the matrix checked a unit registrant already."""
    if kind == "staff":
        check_own_staff(app, by, key, operation)
