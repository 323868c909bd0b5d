"""Every kind of notification: its label, and its subject and body rendered in the reader's language.

Messages are rendered when they are read (the inbox) or sent (an email), from the plain values
stored with them, so each person reads them in their own language and in Japan time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from teamhub.i18n import jst_date, jst_weekday_datetime, yen


def _when(value: str) -> str:
    return jst_weekday_datetime(datetime.fromisoformat(value))


def _day(value: str) -> str:
    return jst_date(datetime.fromisoformat(value).date())


@dataclass(frozen=True)
class Kind:
    label: object  # a lazy string: who gets it and when
    subject: Callable[[dict], str]
    body: Callable[[dict], str]


KINDS: dict[str, Kind] = {
    "assignment_offered": Kind(
        _l("Work offered to me"),
        lambda p: _("New work offered: %(job)s", job=p["job"]),
        lambda p: _(
            "You are offered work on %(job)s, due %(due)s (Japan time). "
            "Read the terms, then accept or decline.",
            job=p["job"],
            due=_when(p["due_at"]),
        ),
    ),
    "escrow_confirmed": Kind(
        _l("Escrow confirmed: my work may start"),
        lambda p: _("Work may start: %(job)s", job=p["job"]),
        lambda p: _(
            "The client's payment for %(job)s is confirmed in escrow (仮払い). "
            "You can start the work.",
            job=p["job"],
        ),
    ),
    "submission_waiting": Kind(
        _l("Work waiting for my review (editors, directors)"),
        lambda p: _("Work to review: %(job)s", job=p["job"]),
        lambda p: _(
            "%(member)s delivered work on %(job)s. It is waiting for review.",
            member=p["member"],
            job=p["job"],
        ),
    ),
    "changes_requested": Kind(
        _l("Changes requested on my work"),
        lambda p: _("Changes requested: %(job)s", job=p["job"]),
        lambda p: _(
            "The reviewer asked for changes on %(job)s: %(comment)s",
            job=p["job"],
            comment=p["comment"],
        ),
    ),
    "approved": Kind(
        _l("My work approved"),
        lambda p: _("Work approved: %(job)s", job=p["job"]),
        lambda p: _("Your work on %(job)s was approved. Thank you.", job=p["job"]),
    ),
    "due_soon": Kind(
        _l("My work due within 48 hours"),
        lambda p: _("Due within 48 hours: %(job)s", job=p["job"]),
        lambda p: _(
            "Your work on %(job)s is due %(due)s (Japan time).",
            job=p["job"],
            due=_when(p["due_at"]),
        ),
    ),
    "overdue": Kind(
        _l("My work overdue"),
        lambda p: _("Overdue: %(job)s", job=p["job"]),
        lambda p: _(
            "Your work on %(job)s was due %(due)s (Japan time) and is not delivered yet. "
            "Deliver it, or tell the director when you can.",
            job=p["job"],
            due=_when(p["due_at"]),
        ),
    ),
    "overdue_team": Kind(
        _l("A member's work overdue (directors)"),
        lambda p: _("Overdue work: %(member)s, %(job)s", member=p["member"], job=p["job"]),
        lambda p: _(
            "%(member)s's work on %(job)s was due %(due)s (Japan time) and is not delivered yet.",
            member=p["member"],
            job=p["job"],
            due=_when(p["due_at"]),
        ),
    ),
    "escrow_missing": Kind(
        _l("Escrow not confirmed yet (directors)"),
        lambda p: _("Escrow not confirmed: %(job)s", job=p["job"]),
        lambda p: _(
            "Members are waiting to start %(job)s, but the client's payment is not confirmed "
            "in escrow (仮払い). Check the platform, then confirm it on the job page.",
            job=p["job"],
        ),
    ),
    "session_tomorrow": Kind(
        _l("Training session tomorrow (trainees, coordinators)"),
        lambda p: _("Session tomorrow: %(cohort)s", cohort=p["cohort"]),
        lambda p: _(
            "%(cohort)s meets tomorrow, %(starts)s (Japan time). Place: %(place)s",
            cohort=p["cohort"],
            starts=_when(p["starts_at"]),
            place=p["place"],
        ),
    ),
    "statement_ready": Kind(
        _l("My payout statement ready"),
        lambda p: _("Your statement is ready: %(team)s", team=p["team"]),
        lambda p: _(
            "Your statement for %(start)s to %(end)s is ready: %(net)s after withholding.",
            start=_day(p["period_start"]),
            end=_day(p["period_end"]),
            net=yen(p["net_yen"]),
        ),
    ),
    "payment_due_soon": Kind(
        _l("Member payments due soon under the 60-day rule (directors)"),
        lambda p: _("Payment due %(day)s: %(team)s", day=_day(p["due_on"]), team=p["team"]),
        lambda p: _(
            "%(amount)s to members from the close ending %(end)s must be paid by %(day)s "
            "(60 days after delivery, Freelance Act art. 4). Mark the close paid once you transfer.",
            amount=yen(p["amount_yen"]),
            end=_day(p["period_end"]),
            day=_day(p["due_on"]),
        ),
    ),
    "payment_overdue": Kind(
        _l("Member payments overdue under the 60-day rule (directors)"),
        lambda p: _("Payment overdue: %(team)s", team=p["team"]),
        lambda p: _(
            "%(amount)s to members from the close ending %(end)s was due by %(day)s and is "
            "not marked paid. Pay the members now.",
            amount=yen(p["amount_yen"]),
            end=_day(p["period_end"]),
            day=_day(p["due_on"]),
        ),
    ),
    "withholding_due": Kind(
        _l("Withholding tax to pay by the 10th (directors)"),
        lambda p: _(
            "Withholding tax due by %(day)s: %(team)s", day=_day(p["due_on"]), team=p["team"]
        ),
        lambda p: _(
            "%(amount)s of income tax withheld last month must be paid to the tax office "
            "by %(day)s.",
            amount=yen(p["amount_yen"]),
            day=_day(p["due_on"]),
        ),
    ),
    "close_ready": Kind(
        _l("A payout close ready for review (directors)"),
        lambda p: _("Close ready for review: %(team)s", team=p["team"]),
        lambda p: _(
            "The payout close for %(start)s to %(end)s was prepared. Review the statements, "
            "then mark it paid once you transfer.",
            start=_day(p["period_start"]),
            end=_day(p["period_end"]),
        ),
    ),
    "close_refused": Kind(
        _l("A payout close that could not be made (directors)"),
        lambda p: _("Close not made: %(team)s", team=p["team"]),
        lambda p: _(
            "The payout close for the period ending %(end)s could not be made: %(reason)s",
            end=_day(p["period_end"]),
            reason=p["reason"],
        ),
    ),
}
KIND_CODES = tuple(KINDS)


def subject_of(kind: str, params: dict) -> str:
    return KINDS[kind].subject(params)


def body_of(kind: str, params: dict) -> str:
    return KINDS[kind].body(params)
