"""Errors a read-model query can answer with (lỗi khi đọc mô hình đọc)."""

from __future__ import annotations


class ProjectionError(Exception):
    """Base: a stable `code`, a Vietnamese message, details (mapped to the API like domain errors)."""

    code = "PROJECTION_ERROR"

    def __init__(self, message_vi: str, **details: str | int | float | None) -> None:
        super().__init__(message_vi)
        self.message_vi = message_vi
        self.details = details


class NotYetProjected(ProjectionError):
    """Read-your-writes: the projection did not reach the asked position within the wait."""

    code = "NOT_YET_PROJECTED"


class UnknownProjection(ProjectionError):
    code = "UNKNOWN_PROJECTION"
