"""The assignment state machine as a table: every state × every action, and what each step writes.

The escrow is confirmed and the terms accepted before each step, so the state rule is what
decides: an allowed step leads to its state, any other is refused (409 on the page).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
import time_machine
from flask_babel import gettext

from teamhub.assignments import lifecycle, services, terms
from teamhub.assignments.models import Assignment, AssignmentEvent, Submission
from teamhub.errors import Conflict, Invalid, NotAllowed
from teamhub.extensions import db
from teamhub.jobs import splitting
from teamhub.notifications.models import Notification
from teamhub.teams.models import Membership
from tests import factories
from tests.conftest import login_as

STATES = (
    "offered", "accepted", "in_progress", "submitted", "changes_requested", "approved",
    "declined", "cancelled", "reassigned",
)  # fmt: skip
UNDELIVERED = ("offered", "accepted", "in_progress")
# action → {state it may start from: state it leads to}, as DESIGN.md states the workflow.
ALLOWED = {
    "accept": {"offered": "accepted"},
    "decline": {"offered": "declined"},
    "start": {"accepted": "in_progress"},
    "submit": {"in_progress": "submitted", "changes_requested": "submitted"},
    "request_changes": {"submitted": "changes_requested"},
    "approve": {"submitted": "approved"},
    "cancel": dict.fromkeys(UNDELIVERED, "cancelled"),
    "reassign": dict.fromkeys(UNDELIVERED, "reassigned"),
}
# Why a step is refused, by the state the assignment is in.
REFUSAL = {
    "declined": "This offer was declined, so nothing more can be done with it.",
    "cancelled": "This assignment was cancelled or given to someone else.",
    "reassigned": "This assignment was cancelled or given to someone else.",
    "approved": "This work is already approved.",
}
ALREADY_DONE = "This was already done: the assignment is %(state)s. Reload the page to see it."
NOW = datetime(2026, 11, 2, 3, 4, 5, tzinfo=UTC)
COMMENT = {
    "decline": "体調不良のため", "request_changes": "見出しを直してください",
    "cancel": "依頼主の都合", "reassign": "急病のため",
}  # fmt: skip


@pytest.fixture
def crew(ctx):
    """A writer's offer on a CrowdWorks job whose escrow is confirmed, its terms accepted."""
    director_person = factories.make_person()
    team = factories.make_team(director_person)
    director = db.session.scalar(sa.select(Membership).where(Membership.team_id == team.id))
    editor = factories.add_member(team, role="editor")
    writer = factories.give_capacity(factories.add_member(team))
    other = factories.give_capacity(factories.add_member(team))
    job = factories.make_job(team, director_person, escrow_confirmed_at=NOW - timedelta(days=1))
    line = splitting.SplitLine(membership_id=writer.id, units=8, due_at=job.due_at)
    [offer] = splitting.save_split(job, director, [line], 0, 0).created
    terms.accept_current(offer, NOW)
    return {
        "director": director,
        "editor": editor,
        "writer": writer,
        "other": other,
        "offer": offer,
    }


def act(crew: dict, action: str, assignment: Assignment | None = None) -> None:
    """Take ``action`` through the service a page calls for it, as the person who may."""
    a = assignment or crew["offer"]
    writer, editor, director = crew["writer"], crew["editor"], crew["director"]
    {
        "accept": lambda: lifecycle.accept(a, writer),
        "decline": lambda: lifecycle.decline(a, writer, " 体調不良のため "),
        "start": lambda: lifecycle.start(a, writer),
        "submit": lambda: services.submit_work(a, writer, text="第1稿"),
        "request_changes": lambda: lifecycle.review(a, editor, False, " 見出しを直してください "),
        "approve": lambda: lifecycle.review(a, editor, True),
        "cancel": lambda: lifecycle.cancel(a, director, " 依頼主の都合 "),
        "reassign": lambda: services.reassign(a, director, crew["other"], " 急病のため "),
    }[action]()


def events(assignment: Assignment) -> list[AssignmentEvent]:
    return list(
        db.session.scalars(
            sa.select(AssignmentEvent)
            .where(AssignmentEvent.assignment_id == assignment.id)
            .order_by(AssignmentEvent.id)
        )
    )


TABLE = [(state, action) for state in STATES for action in ALLOWED]


@pytest.mark.parametrize(("state", "action"), TABLE, ids=[f"{s}-{a}" for s, a in TABLE])
def test_every_state_and_action(crew, state, action):
    offer = crew["offer"]
    offer.state = state
    db.session.flush()
    before = len(events(offer))
    target = ALLOWED[action].get(state)
    if target is None:
        with pytest.raises(Conflict) as refused:
            act(crew, action)
        assert offer.state == state
        assert len(events(offer)) == before
        why = REFUSAL.get(state, "This step is not possible while the assignment is %(state)s.")
        expected = {gettext(why, state=offer.state_label)}
        if state in ALLOWED[action].values():  # a repeat of the step: may say it was done
            expected.add(gettext(ALREADY_DONE, state=offer.state_label))
        assert refused.value.message in expected
    else:
        with time_machine.travel(NOW, tick=False):
            act(crew, action)
        assert offer.state == target
        last = events(offer)[-1]
        assert (last.from_state, last.to_state, last.at) == (state, target, NOW)
        assert last.comment == COMMENT.get(action, ""), "the reason, trimmed; none for the others"


@pytest.mark.parametrize(
    ("state", "action", "status"),
    [
        ("offered", "start", 409),
        ("accepted", "submit", 409),
        ("in_progress", "review-approve", 409),
        ("changes_requested", "review-approve", 409),
        ("approved", "review-changes", 409),
        ("submitted", "cancel", 409),
        ("approved", "cancel", 409),
        ("submitted", "reassign", 409),
        ("declined", "accept", 409),
        ("accepted", "start", 302),
        ("submitted", "review-approve", 302),
        ("in_progress", "cancel", 302),
    ],
)
def test_the_pages_refuse_what_the_state_does_not_allow(app, state, action, status):
    with app.app_context():
        roles = factories.team_with_roles()
        team = db.session.get(factories.Team, roles.team.id)
        member = factories.give_capacity(db.session.get(Membership, roles.member_membership))
        other = factories.give_capacity(factories.add_member(team))
        job = factories.make_job(team, escrow_confirmed_at=NOW)
        assignment = Assignment(
            team_id=team.id, job_id=job.id, membership_id=member.id, units=4, due_at=job.due_at,
            state=state,
        )  # fmt: skip
        db.session.add(assignment)
        db.session.commit()
        assignment_id, other_id = assignment.id, other.id
    kind, _dash, decision = action.partition("-")
    who = roles.member.email if kind in ("start", "submit", "accept") else roles.director.email
    data = {
        "submit": {"text": "第1稿"},
        "review": {"decision": decision, "comment": "見出しを直してください"},
        "cancel": {"reason": "依頼主の都合"},
        "reassign": {"membership_id": str(other_id), "reason": "急病"},
    }.get(kind, {})
    url = f"/teams/{roles.team.slug}/assignments/{assignment_id}/{kind}"
    response = login_as(app, who).post(url, data=data)
    assert response.status_code == status
    with app.app_context():
        stored = db.session.get(Assignment, assignment_id).state
    assert (stored == state) == (status == 409)


def test_each_step_writes_when_it_happened(crew):
    offer, editor = crew["offer"], crew["editor"]
    times = [NOW + timedelta(hours=h) for h in range(7)]
    with time_machine.travel(times[0], tick=False):
        act(crew, "accept")
    assert offer.answered_at == times[0] and offer.started_at is None
    with time_machine.travel(times[1], tick=False):
        act(crew, "start")
    assert offer.started_at == times[1] and offer.first_submitted_at is None
    with time_machine.travel(times[2], tick=False):
        act(crew, "submit")
    assert offer.first_submitted_at == times[2]
    with time_machine.travel(times[3], tick=False):
        act(crew, "request_changes")
    first = db.session.scalar(sa.select(Submission).where(Submission.number == 1))
    assert (first.decision, first.review_comment, first.reviewed_by_id, first.reviewed_at) == (
        "changes_requested", "見出しを直してください", editor.person_id, times[3],
    )  # fmt: skip
    assert offer.revision_count == 1 and offer.closed_at is None and offer.approved_at is None
    with time_machine.travel(times[4], tick=False):
        act(crew, "submit")
    assert offer.first_submitted_at == times[2], "the 60-day clock starts at the first delivery"
    with time_machine.travel(times[5], tick=False):
        act(crew, "request_changes")
        act(crew, "submit")
    assert offer.revision_count == 2, "each request for changes counts"
    with time_machine.travel(times[6], tick=False):
        act(crew, "approve")
    latest = db.session.scalar(sa.select(Submission).where(Submission.number == 3))
    assert (latest.decision, latest.review_comment, latest.reviewed_by_id, latest.reviewed_at) == (
        "approved", "", editor.person_id, times[6],
    )  # fmt: skip
    assert (offer.approved_at, offer.closed_at, offer.revision_count) == (times[6], times[6], 2)
    assert first.decision == "changes_requested" and first.reviewed_at == times[3]
    assert [e.comment for e in events(offer)][4] == "見出しを直してください"


@pytest.mark.parametrize(
    ("action", "reason"),
    [("decline", "体調不良のため"), ("cancel", "依頼主の都合"), ("reassign", "急病のため")],
)
def test_ending_an_offer_records_when_and_why(crew, action, reason):
    offer = crew["offer"]
    with time_machine.travel(NOW, tick=False):
        act(crew, action)
    last = events(offer)[-1]
    assert (last.comment, last.actor_id, last.at) == (
        reason, (crew["writer"] if action == "decline" else crew["director"]).person_id, NOW,
    )  # fmt: skip
    assert offer.closed_at == NOW
    assert (offer.answered_at == NOW) == (action == "decline")


def changed_terms(offer: Assignment, units: int = 9):
    """The director changes the units: a new version of the notice, to be accepted again."""
    offer.units = units
    return terms.issue(offer, {**terms.current_notice(offer).terms, "units": units})


TERMS_OPEN = ("accepted", "in_progress", "submitted", "changes_requested")


@pytest.mark.parametrize("state", STATES)
def test_new_terms_are_accepted_while_the_work_is_open(crew, state):
    """A member whose terms change mid-work accepts them from any state the work is open in."""
    offer = crew["offer"]
    offer.state = state
    notice = changed_terms(offer)
    assert notice.version == 2 and terms.awaiting_acceptance(offer)
    if state in TERMS_OPEN:
        with time_machine.travel(NOW, tick=False):
            lifecycle.accept_new_terms(offer, crew["writer"])
        assert notice.accepted_at == NOW and not terms.awaiting_acceptance(offer)
    else:
        with pytest.raises(Conflict) as refused:
            lifecycle.accept_new_terms(offer, crew["writer"])
        assert notice.accepted_at is None
        why = REFUSAL.get(state, "This step is not possible while the assignment is %(state)s.")
        assert refused.value.message == gettext(why, state=offer.state_label)
    assert offer.state == state


def test_work_waits_for_changed_terms_before_it_starts_or_is_delivered(crew):
    offer, writer = crew["offer"], crew["writer"]
    act(crew, "accept")
    changed_terms(offer)
    with pytest.raises(Conflict):
        act(crew, "start")
    lifecycle.accept_new_terms(offer, writer)
    act(crew, "start")
    changed_terms(offer, units=7)
    with pytest.raises(Conflict):
        act(crew, "submit")
    assert offer.state == "in_progress"


def test_only_the_active_assignee_acts_on_their_work(crew):
    offer, writer = crew["offer"], crew["writer"]
    for someone in (crew["other"], crew["editor"], crew["director"]):
        for step in (lifecycle.accept, lifecycle.accept_new_terms, lifecycle.start):
            with pytest.raises(NotAllowed):
                step(offer, someone)
        with pytest.raises(NotAllowed):
            lifecycle.decline(offer, someone)
    writer.removed_at = NOW  # left the team
    with pytest.raises(NotAllowed):
        lifecycle.accept(offer, writer)
    assert offer.state == "offered"


def test_only_the_teams_active_directors_end_work_and_its_reviewers_review_it(crew):
    offer = crew["offer"]
    elsewhere = factories.make_team(factories.make_person())
    outsider = db.session.scalar(sa.select(Membership).where(Membership.team_id == elsewhere.id))
    for someone in (outsider, crew["editor"], crew["writer"]):
        with pytest.raises(NotAllowed):
            lifecycle.cancel(offer, someone, "x")
        with pytest.raises(NotAllowed):
            lifecycle.hand_over(offer, someone, "x")
    offer.state = "submitted"
    for someone in (outsider, crew["other"]):
        with pytest.raises(NotAllowed):
            lifecycle.review(offer, someone, True)
    crew["editor"].removed_at = NOW
    with pytest.raises(NotAllowed):
        lifecycle.review(offer, crew["editor"], True)
    crew["director"].removed_at = NOW
    with pytest.raises(NotAllowed):
        lifecycle.cancel(offer, crew["director"], "x")
    assert offer.state == "submitted"


def test_the_member_hears_of_the_offer_and_of_each_review(crew):
    offer, writer = crew["offer"], crew["writer"]

    def inbox() -> list[tuple[str, str]]:
        rows = db.session.execute(
            sa.select(Notification.kind, Notification.key)
            .where(Notification.person_id == writer.person_id)
            .order_by(Notification.id)
        )
        return [(kind, key) for kind, key in rows if kind != "escrow_confirmed"]

    assert inbox() == [("assignment_offered", f"assignment_offered:assignment:{offer.id}")]
    for step in ("accept", "start", "submit", "request_changes", "submit", "approve"):
        act(crew, step)
    reviews = [e for e in events(offer) if e.to_state in ("changes_requested", "approved")]
    assert inbox()[1:] == [
        ("changes_requested", f"changes_requested:event:{reviews[0].id}"),
        ("approved", f"approved:event:{reviews[1].id}"),
    ]


def test_a_decline_or_a_hand_over_may_give_no_reason(crew):
    offer = crew["offer"]
    lifecycle.decline(offer, crew["writer"])
    assert events(offer)[-1].comment == ""
    offer.state = "accepted"
    lifecycle.hand_over(offer, crew["director"])
    assert (offer.state, events(offer)[-1].comment) == ("reassigned", "")


def test_asking_for_changes_says_the_comment_is_missing(crew):
    offer = crew["offer"]
    offer.state = "submitted"
    with pytest.raises(Invalid) as refused:
        lifecycle.review(offer, crew["editor"], False, "  ")
    message = gettext("Say what should change, so the member knows what to do.")
    assert (refused.value.message, refused.value.reasons) == (message, {"comment": message})
    assert offer.state == "submitted"
