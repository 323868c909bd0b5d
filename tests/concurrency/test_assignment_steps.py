"""Each step of an assignment, sent five times at once (a double click, a retry): it happens
once, with one event, one notification and one email; the other requests are told it already
happened (409), none fails with a 500."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from teamhub.assignments import services as assignment_services
from teamhub.assignments.models import Assignment, AssignmentEvent, Submission, TermsNotice
from teamhub.clock import utcnow
from teamhub.extensions import db
from teamhub.notifications.models import EmailDelivery, Notification
from teamhub.teams.models import Membership
from tests.concurrency.burst import fire, needs_postgresql
from tests.conftest import login_as
from tests.notification_helpers import work_in_progress

pytestmark = needs_postgresql

# step → (state it starts from, who sends it, what the form sends, state it leads to,
#         notifications it sends: kind → how many)
STEPS = {
    "accept": ("offered", "member", {}, "accepted", {}),
    "decline": ("offered", "member", {"comment": "今週は手一杯です"}, "declined", {}),
    "start": ("accepted", "member", {}, "in_progress", {}),
    "submit": ("in_progress", "member", {"text": "納品します"}, "submitted",
               {"submission_waiting": 2}),  # the director and the editor, once each
    "request_changes": ("submitted", "editor", {"decision": "changes", "comment": "見出しを"},
                        "changes_requested", {"changes_requested": 1}),
    "approve": ("submitted", "director", {"decision": "approve"}, "approved", {"approved": 1}),
    "cancel": ("in_progress", "director", {"reason": "依頼主の都合"}, "cancelled", {}),
    "reassign": ("accepted", "director", {"reason": "体調不良"}, "reassigned",
                 {"assignment_offered": 1}),  # the new member's offer
}  # fmt: skip
URLS = {"request_changes": "review", "approve": "review"}


def _count(model, *where) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def _work_in(state: str):
    due = utcnow() + timedelta(days=3)
    work = work_in_progress(due, state="in_progress" if state == "submitted" else state)
    if state == "submitted":
        assignment = db.session.get(Assignment, work.assignment_id)
        member = db.session.get(Membership, work.roles.member_membership)
        assignment_services.submit_work(assignment, member, text="初稿です")
    db.session.commit()
    return work


@pytest.mark.parametrize("step", list(STEPS))
def test_a_step_sent_five_times_at_once_happens_once(app, step):
    start, sender, data, target, notices = STEPS[step]
    with app.app_context():
        work = _work_in(start)
        roles = work.roles
        if step == "reassign":
            data = {**data, "membership_id": str(roles.editor_membership)}
        notifications_before = _count(Notification)
        emails_before = _count(EmailDelivery)
        submissions_before = _count(Submission)
        notices_before = _count(TermsNotice)
    email = getattr(roles, sender).email
    url = f"/teams/{roles.team.slug}/assignments/{work.assignment_id}/{URLS.get(step, step)}"

    burst = fire(app, login_as(app, email), url, data)

    burst.assert_one_winner(won=302, lost=(409,))
    lost = [
        body for status, body in zip(burst.statuses, burst.bodies, strict=True) if status == 409
    ]
    assert all(
        "この操作は既に行われています" in body for body in lost
    )  # what happened, in Japanese
    with app.app_context():
        assignment = db.session.get(Assignment, work.assignment_id)
        assert assignment.state == target
        events = AssignmentEvent.assignment_id == work.assignment_id
        assert _count(AssignmentEvent, events, AssignmentEvent.to_state == target) == 1
        new = _count(Notification) - notifications_before
        assert new == sum(notices.values())
        for kind, many in notices.items():
            assert _count(Notification, Notification.kind == kind) == many + (
                1 if kind == "assignment_offered" else 0  # the first member's own offer
            )
        assert _count(EmailDelivery) - emails_before == new
        assert _count(Submission) - submissions_before == (1 if step == "submit" else 0)
        if step == "reassign":
            successors = _count(Assignment, Assignment.replaces_id == work.assignment_id)
            assert successors == 1
            assert _count(TermsNotice) - notices_before == 1
