"""What a terms notice says, read from any format teamhub has ever written.

A notice is frozen as issued, so the notices of every release stay in the database. Each records
the format it was written in (``"format"``; the first format had no such key), and pages read
them only through :func:`read`, which gives every format the same shape: a key a format did not
have reads as "not said" (None or empty), never as an error.

Formats:
  1. parties, date, work, due date, pay basis, team fee and job units, payment rule.
  2. adds the work category, whether income tax is withheld and its estimate in yen, and the
     estimated share in yen when the fee is a share (with what the team expects to receive);
     the due date is written in UTC.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime

CURRENT_FORMAT = 2


@dataclass(frozen=True)
class NoticeContent:
    """A notice's content in the shape of the current format, whatever format it was in."""

    format: int = 1
    team: str = ""
    team_invoice_number: str = ""
    issuer: str = ""
    member: str = ""
    issued_on: date | None = None
    job: str = ""
    client: str = ""
    category: str = ""
    unit_name: str = ""
    units: int = 0
    part: str = ""
    due_at: datetime | None = None
    pay_basis: str = "units"
    fixed_yen: int | None = None
    team_fee_bp: int | None = None
    job_total_units: int | None = None
    payment_rule: str = ""  # "sixty_days", "close", or "" when the notice did not say
    expected_payment_on: date | None = None
    # From format 2: None when the notice did not say.
    withholding: bool | None = None
    withholding_yen: int | None = None
    share_estimate_yen: int | None = None
    received_estimate_yen: int | None = None


_KEYS = frozenset(f.name for f in fields(NoticeContent))


def _moment(value) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) and value else None


def _day(value) -> date | None:
    return date.fromisoformat(value[:10]) if isinstance(value, str) and value else None


def read(terms: dict) -> NoticeContent:
    """The notice's content, from a notice of any format (or a partial one)."""
    values = {key: value for key, value in terms.items() if key in _KEYS and value is not None}
    values["format"] = int(terms.get("format") or 1)
    values["due_at"] = _moment(terms.get("due_at"))
    values["issued_on"] = _day(terms.get("issued_on"))
    values["expected_payment_on"] = _day(terms.get("expected_payment_on"))
    return NoticeContent(**values)


def moment(value) -> datetime | None:
    """A stored due date as a moment, whatever offset its text was written with."""
    return value if isinstance(value, datetime) else _moment(value)
