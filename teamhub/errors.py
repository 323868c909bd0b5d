"""Domain errors raised by services; views turn them into messages and 4xx answers."""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the business refused the operation; ``message`` is shown to the person."""

    status_code = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NotAllowed(DomainError):
    status_code = 403


class NotFound(DomainError):
    status_code = 404


class Conflict(DomainError):
    status_code = 409


class Invalid(DomainError):
    """Input broke a rule; ``reasons`` maps a form field name to its message."""

    status_code = 422

    def __init__(self, message: str, reasons: dict[str, str] | None = None):
        super().__init__(message)
        self.reasons = reasons or {}
