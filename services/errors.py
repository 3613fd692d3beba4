"""Application errors: the one tree that the API maps to codes (domain errors sit beside it)."""

from __future__ import annotations


class ApplicationError(Exception):
    """An expected failure of a service call, with a stable code and a Vietnamese message."""

    code = "APPLICATION_ERROR"

    def __init__(self, message_vi: str, **details: str | int | None) -> None:
        super().__init__(message_vi)
        self.message_vi = message_vi
        self.details = details


class InvalidProvinceCode(ApplicationError):
    code = "INVALID_PROVINCE_CODE"


class ProvinceNotFound(ApplicationError):
    code = "PROVINCE_NOT_FOUND"


class ProvinceAlreadyExists(ApplicationError):
    code = "PROVINCE_ALREADY_EXISTS"


class DatabaseUnavailable(ApplicationError):
    code = "DATABASE_UNAVAILABLE"


class UnknownDatabaseServer(ApplicationError):
    """A province placed (or to be placed) on a server the configuration does not name."""

    code = "UNKNOWN_DATABASE_SERVER"
