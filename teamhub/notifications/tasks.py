"""The notifications' scheduled tasks: send queued emails, and the reminders and warnings."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l

from teamhub.assignments.terms import SIXTY_DAY_PAYER_TYPES
from teamhub.notifications import payout_reminders, reminders
from teamhub.notifications.email import deliver_outbox
from teamhub.scheduling import Done, ScheduledJob
from teamhub.teams.models import WITHHOLDING_PAYER_TYPES


def deliver_email(now: datetime) -> Done:
    tally = deliver_outbox(now)
    return Done(total=tally.get("sent", 0), detail=tally)


def _pays_within_60_days(team) -> bool:
    return team.payer_type in SIXTY_DAY_PAYER_TYPES


def _withholds(team) -> bool:
    return team.payer_type in WITHHOLDING_PAYER_TYPES


TASKS = [
    ScheduledJob(
        "deliver_email", _l("Send queued emails, retry failed ones"), deliver_email, every=60
    ),
    ScheduledJob(
        "due_soon",
        _l("Deadline reminders, 48 hours before"),
        reminders.due_soon,
        every=15 * 60,
        for_directors=_l("Reminds a member once when their assignment is due within 48 hours."),
    ),
    ScheduledJob(
        "overdue",
        _l("Overdue notices"),
        reminders.overdue,
        every=60 * 60,
        for_directors=_l(
            "Tells the member and you when an assignment is past its due date and not delivered."
        ),
    ),
    ScheduledJob(
        "escrow_missing",
        _l("Escrow-missing warnings"),
        reminders.escrow_missing,
        daily_at=(9, 0),
        for_directors=_l(
            "Warns you when members wait to start a platform job whose escrow is not confirmed."
        ),
    ),
    ScheduledJob(
        "payment_due",
        _l("Member payments due under the 60-day rule"),
        payout_reminders.payment_due,
        daily_at=(9, 0),
        for_directors=_l(
            "Warns you a week before a member's payment falls due under the 60-day rule, "
            "and again if it is late."
        ),
        concerns=_pays_within_60_days,
    ),
    ScheduledJob(
        "withholding_due",
        _l("Withholding tax reminders, by the 10th"),
        payout_reminders.withholding_due,
        daily_at=(9, 0),
        for_directors=_l(
            "From the 1st to the 10th, reminds you to pay last month's withholding tax."
        ),
        concerns=_withholds,
    ),
    ScheduledJob(
        "session_tomorrow",
        _l("Training session reminders for tomorrow"),
        reminders.session_tomorrow,
        daily_at=(9, 0),
    ),
]
