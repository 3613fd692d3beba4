"""Every typed command has its row in the permission table, keyed by its class."""

from __future__ import annotations

from dataclasses import fields

from thidua.graphql.core.permissions import MATRIX, PERMISSIONS
from thidua.services.handlers.base import HANDLERS, command_classes


def test_every_command_has_a_permission_entry_keyed_by_its_class() -> None:
    commands = command_classes()
    assert commands, "no command is registered"
    missing = [c.__name__ for c in commands if c not in PERMISSIONS]
    assert not missing, f"commands without a permission entry: {missing}"


def test_a_command_class_and_its_mutation_name_are_not_both_in_the_table() -> None:
    for command in command_classes():
        assert command.operation() not in PERMISSIONS, command.operation()
        assert MATRIX[command.operation()] is PERMISSIONS[command]


def test_every_command_has_one_handler() -> None:
    assert set(command_classes()) == set(HANDLERS)
    assert all(command.operation()[0].islower() for command in HANDLERS)


def test_no_command_field_hides_what_every_command_answers() -> None:
    reserved = {"target", "object_key", "operation", "undigested"}
    for command in command_classes():
        clash = {f.name for f in fields(command)} & reserved
        assert not clash, (command.__name__, clash)
