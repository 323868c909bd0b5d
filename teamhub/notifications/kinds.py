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
from teamhub.training.models import ORG_ROLE_LABELS


def _when(value: str) -> str:
    return jst_weekday_datetime(datetime.fromisoformat(value))


def _day(value: str) -> str:
    return jst_date(datetime.fromisoformat(value).date())


def _cohort(p: dict) -> str:
    """A cohort with its course, as people say it: 「Webライター講座 第1期」."""
    return f"{p['curriculum']} {p['cohort']}" if p.get("curriculum") else p["cohort"]


def _role(code: str) -> str:
    return str(ORG_ROLE_LABELS.get(code, code))


def _with_comment(text: str, comment: str) -> str:
    if not comment:
        return text
    return text + " " + _("Comment: %(comment)s", comment=comment)


def _naming_part(p: dict, text: str) -> str:
    """Name the member's part of the job a notice is about (older notices did not store it)."""
    if not p.get("part"):
        return text
    return text + " " + _("Assignment: %(part)s.", part=p["part"])


def _delivered(p: dict) -> str:
    if p.get("number", 1) > 1:
        return _(
            "%(member)s delivered work on %(job)s again (delivery no. %(number)d). "
            "It is waiting for review.",
            member=p["member"],
            job=p["job"],
            number=p["number"],
        )
    return _(
        "%(member)s delivered work on %(job)s. It is waiting for review.",
        member=p["member"],
        job=p["job"],
    )


# The roles a kind of notice goes to (teamhub.notifications.queries.roles_of names a person's).
IN_A_TEAM = frozenset({"member", "editor", "director"})
REVIEWERS = frozenset({"editor", "director"})
DIRECTORS = frozenset({"director"})
TRAINEES = frozenset({"trainee"})
STAFF = frozenset({"coordinator", "mentor"})


@dataclass(frozen=True)
class Kind:
    label: object  # a lazy string: who gets it and when
    subject: Callable[[dict], str]
    body: Callable[[dict], str]
    roles: frozenset[str]  # who may get it: only they are offered the email choice


KINDS: dict[str, Kind] = {
    "assignment_offered": Kind(
        _l("Work offered to me"),
        lambda p: _("New work offered: %(job)s", job=p["job"]),
        lambda p: _naming_part(
            p,
            _(
                "You are offered work on %(job)s, due %(due)s (Japan time). "
                "Read the terms, then accept or decline.",
                job=p["job"],
                due=_when(p["due_at"]),
            ),
        ),
        IN_A_TEAM,
    ),
    "escrow_confirmed": Kind(
        _l("Escrow confirmed: my work may start"),
        lambda p: _("Work may start: %(job)s", job=p["job"]),
        lambda p: _naming_part(
            p,
            _(
                "The client's payment for %(job)s is confirmed in escrow (仮払い). "
                "You can start the work.",
                job=p["job"],
            ),
        ),
        IN_A_TEAM,
    ),
    "submission_waiting": Kind(
        _l("Work waiting for my review (editors, directors)"),
        lambda p: _("Work to review: %(member)s, %(job)s", member=p["member"], job=p["job"]),
        lambda p: _naming_part(p, _delivered(p)),
        REVIEWERS,
    ),
    "changes_requested": Kind(
        _l("Changes requested on my work"),
        lambda p: _("Changes requested: %(job)s", job=p["job"]),
        lambda p: _naming_part(
            p,
            _(
                "The reviewer asked for changes on %(job)s: %(comment)s",
                job=p["job"],
                comment=p["comment"],
            ),
        ),
        IN_A_TEAM,
    ),
    "approved": Kind(
        _l("My work approved"),
        lambda p: _("Work approved: %(job)s", job=p["job"]),
        lambda p: _naming_part(p, _("Your work on %(job)s was approved. Thank you.", job=p["job"])),
        IN_A_TEAM,
    ),
    "due_soon": Kind(
        _l("My work due within 48 hours"),
        lambda p: _("Due within 48 hours: %(job)s", job=p["job"]),
        lambda p: _naming_part(
            p,
            _(
                "Your work on %(job)s is due %(due)s (Japan time).",
                job=p["job"],
                due=_when(p["due_at"]),
            ),
        ),
        IN_A_TEAM,
    ),
    "overdue": Kind(
        _l("My work overdue"),
        lambda p: _("Overdue: %(job)s", job=p["job"]),
        lambda p: _naming_part(
            p,
            _(
                "Your work on %(job)s was due %(due)s (Japan time) and is not delivered yet. "
                "Deliver it, or tell the director when you can.",
                job=p["job"],
                due=_when(p["due_at"]),
            ),
        ),
        IN_A_TEAM,
    ),
    "overdue_team": Kind(
        _l("A member's work overdue (directors)"),
        lambda p: _("Overdue work: %(member)s, %(job)s", member=p["member"], job=p["job"]),
        lambda p: _naming_part(
            p,
            _(
                "%(member)s's work on %(job)s was due %(due)s (Japan time) "
                "and is not delivered yet.",
                member=p["member"],
                job=p["job"],
                due=_when(p["due_at"]),
            ),
        ),
        DIRECTORS,
    ),
    "escrow_missing": Kind(
        _l("Escrow not confirmed yet (directors)"),
        lambda p: _("Escrow not confirmed: %(job)s", job=p["job"]),
        lambda p: _(
            "Members are waiting to start %(job)s, but the client's payment is not confirmed "
            "in escrow (仮払い). Check the platform, then confirm it on the job page.",
            job=p["job"],
        ),
        DIRECTORS,
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
        frozenset({"trainee", "coordinator"}),
    ),
    "session_scheduled": Kind(
        _l("A session added to my training's schedule (trainees)"),
        lambda p: _("A session was added: %(cohort)s", cohort=_cohort(p)),
        lambda p: _(
            "A session of %(cohort)s was added to the schedule: %(starts)s (Japan time). "
            "Place: %(place)s",
            cohort=_cohort(p),
            starts=_when(p["starts_at"]),
            place=p["place"],
        ),
        TRAINEES,
    ),
    "session_cancelled": Kind(
        _l("A session of my training taken off the schedule (trainees)"),
        lambda p: _("A session was taken off the schedule: %(cohort)s", cohort=_cohort(p)),
        lambda p: _(
            "The session of %(cohort)s on %(starts)s (Japan time) was taken off the schedule. "
            "The other sessions stay as they are.",
            cohort=_cohort(p),
            starts=_when(p["starts_at"]),
        ),
        TRAINEES,
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
        IN_A_TEAM,
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
        DIRECTORS,
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
        DIRECTORS,
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
        DIRECTORS,
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
        DIRECTORS,
    ),
    "close_refused": Kind(
        _l("A payout close that could not be made (directors)"),
        lambda p: _("Close not made: %(team)s", team=p["team"]),
        lambda p: _(
            "The payout close for the period ending %(end)s could not be made: %(reason)s",
            end=_day(p["period_end"]),
            reason=p["reason"],
        ),
        DIRECTORS,
    ),
    "practice_waiting": Kind(
        _l("A practice task handed in for review (coordinators, mentors)"),
        lambda p: _("A try to review: %(module)s", module=p["module"]),
        lambda p: _(
            "%(trainee)s handed in a try at the practice task of %(module)s (%(cohort)s). "
            "Review it and pass it, or ask for another try with a comment.",
            trainee=p["trainee"],
            module=p["module"],
            cohort=_cohort(p),
        ),
        STAFF,
    ),
    "practice_passed": Kind(
        _l("My practice task passed (trainees)"),
        lambda p: _("Practice task passed: %(module)s", module=p["module"]),
        lambda p: _with_comment(
            _(
                "Your practice task for %(module)s (%(cohort)s) passed. The module is completed.",
                module=p["module"],
                cohort=_cohort(p),
            ),
            p["comment"],
        ),
        TRAINEES,
    ),
    "practice_retry": Kind(
        _l("Another try asked at my practice task (trainees)"),
        lambda p: _("Another try, please: %(module)s", module=p["module"]),
        lambda p: _(
            "Please try the practice task for %(module)s (%(cohort)s) once more, then submit "
            "it again. The reviewer's comment: %(comment)s",
            module=p["module"],
            cohort=_cohort(p),
            comment=p["comment"],
        ),
        TRAINEES,
    ),
    "module_completed": Kind(
        _l("A module of my training completed (trainees)"),
        lambda p: _("Module completed: %(module)s", module=p["module"]),
        lambda p: _(
            "%(module)s (%(cohort)s) is marked completed.", module=p["module"], cohort=_cohort(p)
        ),
        TRAINEES,
    ),
    "training_completed": Kind(
        _l("My training completed and its certificate (trainees)"),
        lambda p: _("Training completed: %(cohort)s", cohort=_cohort(p)),
        lambda p: _(
            "You completed every module of %(cohort)s. Your certificate is issued, "
            "number %(code)s.",
            cohort=_cohort(p),
            code=p["code"],
        ),
        TRAINEES,
    ),
    "enrolled": Kind(
        _l("My enrolment in a cohort (trainees)"),
        lambda p: _("You are enrolled: %(cohort)s", cohort=_cohort(p)),
        lambda p: _(
            "%(org)s enrolled you in %(cohort)s. Your training page shows the schedule "
            "and the modules.",
            org=p["org"],
            cohort=_cohort(p),
        ),
        TRAINEES,
    ),
    "application_accepted": Kind(
        _l("My application to a cohort accepted (trainees)"),
        lambda p: _("Application accepted: %(cohort)s", cohort=_cohort(p)),
        lambda p: _(
            "Your application to %(cohort)s of %(org)s is accepted: you are enrolled. Your "
            "training page shows the schedule and the modules.",
            org=p["org"],
            cohort=_cohort(p),
        ),
        TRAINEES,
    ),
    "graduate_recommended": Kind(
        _l("A graduate recommended to my team (directors)"),
        lambda p: _("Graduate recommended: %(name)s", name=p["name"]),
        lambda p: _with_comment(
            _(
                "%(org)s recommends %(name)s, who completed %(cohort)s, to %(team)s. "
                "See their skills on the page of recommended graduates.",
                org=p["org"],
                name=p["name"],
                cohort=_cohort(p),
                team=p["team"],
            ),
            p["note"],
        ),
        DIRECTORS,
    ),
    "staff_appointed": Kind(
        _l("A role given to me in an organisation (coordinators, mentors)"),
        lambda p: _("You are now %(role)s: %(org)s", role=_role(p["role"]), org=p["org"]),
        lambda p: _(
            "The operator made you %(role)s of %(org)s. The organisation's page shows its "
            "curricula and cohorts.",
            role=_role(p["role"]),
            org=p["org"],
        ),
        STAFF,
    ),
}
KIND_CODES = tuple(KINDS)


def subject_of(kind: str, params: dict) -> str:
    return KINDS[kind].subject(params)


def body_of(kind: str, params: dict) -> str:
    return KINDS[kind].body(params)
