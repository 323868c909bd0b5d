"""Member work: submissions (text, link or file), and the director's reassignment."""

from __future__ import annotations

from urllib.parse import urlsplit

import sqlalchemy as sa
from flask_babel import gettext as _

from teamhub import signals
from teamhub.assignments import lifecycle, terms, uploads
from teamhub.assignments.models import Assignment, Submission
from teamhub.errors import Invalid, NotFound
from teamhub.extensions import db
from teamhub.teams.models import Membership
from teamhub.teams.queries import team_member


def _next_number(assignment: Assignment) -> int:
    latest = db.session.scalar(
        sa.select(sa.func.max(Submission.number)).where(Submission.assignment_id == assignment.id)
    )
    return (latest or 0) + 1


def _check_link(url: str) -> str:
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        message = _("Enter a full link starting with https://")
        raise Invalid(message, {"url": message})
    return url


def submit_work(
    assignment: Assignment,
    member: Membership,
    text: str = "",
    url: str = "",
    file_name: str = "",
    file_data: bytes | None = None,
) -> Submission:
    """Deliver work as text, a link or a file; the reviewer is then asked to look at it."""
    text, url = text.strip(), _check_link(url) if url.strip() else ""
    if not (text or url or file_data):
        message = _("Write the text, paste a link or choose a file to deliver.")
        raise Invalid(message, {"text": message})
    event = lifecycle.mark_submitted(assignment, member)
    submission = Submission(
        assignment_id=assignment.id,
        number=_next_number(assignment),
        kind="file" if file_data else ("link" if url else "text"),
        text=text,
        url=url,
        submitted_by_id=member.person_id,
        submitted_at=event.at,
    )
    if file_data:
        stored = uploads.store(file_name, file_data)
        submission.stored_name = stored.stored_name
        submission.original_name = stored.original_name
        submission.content_type = stored.content_type
        submission.size_bytes = stored.size_bytes
    db.session.add(submission)
    db.session.flush()
    signals.work_submitted.send(assignment, submission=submission)
    return submission


def reassign_to(
    assignment: Assignment, director: Membership, membership_id: int, reason: str = ""
) -> Assignment:
    """:func:`reassign` to the member a form names by id: an id that is no member of the
    assignment's team is the form's ``membership_id`` field refused."""
    try:
        to = team_member(assignment.job.team, membership_id)
    except NotFound as error:
        raise Invalid(error.message, {"membership_id": error.message}) from error
    return reassign(assignment, director, to, reason)


def reassign(
    assignment: Assignment, director: Membership, to: Membership, reason: str = ""
) -> Assignment:
    """Give undelivered work to another member: the old assignment ends, a new offer is made."""
    if to.team_id != assignment.team_id or not to.active:
        message = _("Choose a member of this team.")
        raise Invalid(message, {"membership_id": message})
    if to.id == assignment.membership_id:
        message = _("Choose a different member.")
        raise Invalid(message, {"membership_id": message})
    lifecycle.hand_over(assignment, director, reason)
    successor = Assignment(
        team_id=assignment.team_id,
        job_id=assignment.job_id,
        membership_id=to.id,
        units=assignment.units,
        part_description=assignment.part_description,
        due_at=assignment.due_at,
        pay_basis=assignment.pay_basis,
        fixed_yen=assignment.fixed_yen,
        replaces_id=assignment.id,
        state="offered",
    )
    db.session.add(successor)
    db.session.flush()
    lifecycle.record_offer(successor, director.person_id)
    job = assignment.job
    content = terms.build_terms(
        successor, job, job.team, to.person.display_name, director.person.display_name,
        terms.job_pay(job.id),
    )  # fmt: skip
    terms.issue(successor, content)
    return successor
