"""The notifications' scheduled tasks: send queued emails, and the reminders and warnings."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l

from teamhub.notifications import payout_reminders, reminders
from teamhub.notifications.email import deliver_outbox
from teamhub.scheduling import Done, ScheduledJob


def deliver_email(now: datetime) -> Done:
    tally = deliver_outbox(now)
    return Done(total=tally.get("sent", 0), detail=tally)


TASKS = [
    ScheduledJob(
        "deliver_email", _l("Send queued emails, retry failed ones"), deliver_email, every=60
    ),
    ScheduledJob(
        "due_soon", _l("Deadline reminders, 48 hours before"), reminders.due_soon, every=15 * 60
    ),
    ScheduledJob("overdue", _l("Overdue notices"), reminders.overdue, every=60 * 60),
    ScheduledJob(
        "escrow_missing", _l("Escrow-missing warnings"), reminders.escrow_missing, daily_at=(9, 0)
    ),
    ScheduledJob(
        "payment_due",
        _l("Member payments due under the 60-day rule"),
        payout_reminders.payment_due,
        daily_at=(9, 0),
    ),
    ScheduledJob(
        "withholding_due",
        _l("Withholding tax reminders, by the 10th"),
        payout_reminders.withholding_due,
        daily_at=(9, 0),
    ),
    ScheduledJob(
        "session_tomorrow",
        _l("Training session reminders for tomorrow"),
        reminders.session_tomorrow,
        daily_at=(9, 0),
    ),
]
