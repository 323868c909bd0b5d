"""Corrections of a posted statement: nothing posted changes, a reversal and a new entry do."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from teamhub import money
from teamhub.auth.models import Person
from teamhub.claims import insert_once
from teamhub.errors import Conflict, Invalid, NotFound
from teamhub.extensions import db
from teamhub.jobs.models import WITHHOLDING_CATEGORIES, Job
from teamhub.payouts.models import (
    MEMBER,
    RETAINED,
    SHARE,
    TAX_OFFICE,
    WITHHOLDING,
    LedgerEntry,
    PayoutClose,
)
from teamhub.payouts.services.closes import refresh_paid_days
from teamhub.teams.models import Membership, Team


def correct_share(
    team: Team,
    close: PayoutClose,
    entry_id: int,
    gross_yen: int,
    reason: str,
    by: Person | None,
    membership_id: int | None = None,
) -> LedgerEntry:
    """Correct one line of a posted statement: reverse it, post the right amount, redo withholding.

    The difference comes from (or goes back to) what the team kept, so the close still balances
    to the yen; the member's withholding is reversed and posted again on the corrected pay.
    With ``membership_id``, the line must be on that member's statement.
    """
    by_id = by.id if by else None
    line = db.session.get(LedgerEntry, entry_id)
    elsewhere = (
        membership_id is not None and line is not None and line.membership_id != membership_id
    )
    if (
        line is None
        or line.close_id != close.id
        or line.kind != SHARE
        or line.reverses_id
        or elsewhere
    ):
        raise NotFound(_("This statement line does not exist in this close."))
    if line not in _live(close, line.membership_id, SHARE):
        raise Conflict(_("This line was already corrected. Correct the newest line instead."))
    _check_correction(line, gross_yen, reason)
    if not _reverse(line, reason, by_id):
        raise Conflict(_("This line was already corrected. Correct the newest line instead."))
    corrected = _entry(
        close, line.job_id, MEMBER, -gross_yen, assignment_id=line.assignment_id,
        membership_id=line.membership_id, units=line.units, payment_due_on=line.payment_due_on,
        kind=SHARE, note=reason, created_by_id=by_id,
    )  # fmt: skip
    _entry(
        close, line.job_id, RETAINED, gross_yen + line.amount_yen, note=reason, created_by_id=by_id
    )
    db.session.flush()
    _redo_withholding(team, close, line, reason, by_id)
    db.session.flush()
    if close.status == "paid":
        membership = db.session.get(Membership, line.membership_id)
        refresh_paid_days([membership.person_id])
    return corrected


def _check_correction(line: LedgerEntry, gross_yen: int, reason: str) -> None:
    reasons = {}
    if gross_yen < 0:
        reasons["gross_yen"] = _("Enter the corrected pay in whole yen, 0 or more.")
    elif gross_yen == -line.amount_yen:
        reasons["gross_yen"] = _("That is the amount already on the statement.")
    if not reason.strip():
        reasons["reason"] = _("Say why the line is corrected; the member sees it.")
    if reasons:
        raise Invalid(_("Please correct the marked fields."), reasons)


def _entry(close: PayoutClose, job_id: int, account: str, amount: int, **refs) -> LedgerEntry:
    entry = LedgerEntry(
        team_id=close.team_id, close_id=close.id, job_id=job_id, account=account, amount_yen=amount, **refs
    )  # fmt: skip
    db.session.add(entry)
    return entry


def _reverse(entry: LedgerEntry, note: str, by_id: int | None) -> bool:
    """Post the mirror image of ``entry``; the unique reverses_id means it happens once: False
    when another correction (a double click) reversed it first."""
    close = db.session.get(PayoutClose, entry.close_id)
    mirror = LedgerEntry(
        team_id=close.team_id, close_id=close.id, job_id=entry.job_id, account=entry.account,
        amount_yen=-entry.amount_yen, assignment_id=entry.assignment_id,
        membership_id=entry.membership_id, units=-entry.units,
        payment_due_on=entry.payment_due_on, kind=entry.kind, reverses_id=entry.id, note=note,
        created_by_id=by_id,
    )  # fmt: skip
    return insert_once(mirror)


def _live(close: PayoutClose, membership_id: int, kind: str) -> list[LedgerEntry]:
    """The member's entries of one kind in the close that stand: neither reversed nor reversals."""
    reversed_ids = sa.select(LedgerEntry.reverses_id).where(
        LedgerEntry.close_id == close.id, LedgerEntry.reverses_id.is_not(None)
    )
    return list(
        db.session.scalars(
            sa.select(LedgerEntry)
            .where(
                LedgerEntry.close_id == close.id,
                LedgerEntry.membership_id == membership_id,
                LedgerEntry.kind == kind,
                LedgerEntry.reverses_id.is_(None),
                LedgerEntry.id.not_in(reversed_ids),
            )
            .order_by(LedgerEntry.id)
        )
    )


def _withholdable_gross(team: Team, close: PayoutClose, membership_id: int) -> int:
    if not team.withholds:
        return 0
    return -(
        db.session.scalar(
            sa.select(sa.func.coalesce(sa.func.sum(LedgerEntry.amount_yen), 0))
            .join(Job, Job.id == LedgerEntry.job_id)
            .where(
                LedgerEntry.close_id == close.id,
                LedgerEntry.membership_id == membership_id,
                LedgerEntry.kind == SHARE,
                Job.category.in_(WITHHOLDING_CATEGORIES),
            )
        )
    )


def _redo_withholding(
    team: Team, close: PayoutClose, line: LedgerEntry, reason: str, by_id: int | None
) -> None:
    """Reverse the member's withholding (member and tax-office sides), post it on the new pay."""
    for entry in _live(close, line.membership_id, WITHHOLDING):
        if not _reverse(entry, reason, by_id):
            raise Conflict(_("This line was already corrected. Correct the newest line instead."))
    withheld = money.withholding(_withholdable_gross(team, close, line.membership_id))
    if not withheld:
        return
    refs = {"membership_id": line.membership_id, "kind": WITHHOLDING, "note": reason,
            "created_by_id": by_id}  # fmt: skip
    _entry(close, line.job_id, MEMBER, withheld, **refs)
    _entry(close, line.job_id, TAX_OFFICE, -withheld, **refs)
