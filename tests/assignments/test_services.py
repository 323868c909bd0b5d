"""The assignment state machine, submissions, uploads and reliability, without HTTP."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

import pytest
import sqlalchemy as sa
import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from teamhub.assignments import lifecycle, services, uploads
from teamhub.assignments.models import Assignment, AssignmentEvent, Submission
from teamhub.assignments.reliability import Rate, Reliability, reliability_for
from teamhub.clock import utcnow
from teamhub.errors import Conflict, Invalid, NotAllowed
from teamhub.extensions import db
from teamhub.jobs import my_work, splitting
from teamhub.jobs import services as job_services
from teamhub.teams.models import Membership
from tests.factories import (
    add_member,
    give_capacity,
    history_values,
    make_job,
    make_person,
    make_team,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.fixture
def team(ctx):
    director_person = make_person()
    team = make_team(director_person)
    director = db.session.scalar(sa.select(Membership).where(Membership.team_id == team.id))
    editor = add_member(team, role="editor")
    writer = give_capacity(add_member(team))
    job = make_job(team, director_person)
    line = splitting.SplitLine(membership_id=writer.id, units=8, due_at=job.due_at)
    [offer] = splitting.save_split(job, director, [line], 0, 0).created
    return {"director": director, "editor": editor, "writer": writer, "job": job, "offer": offer}


def steps(assignment: Assignment) -> list[tuple]:
    events = db.session.scalars(
        sa.select(AssignmentEvent)
        .where(AssignmentEvent.assignment_id == assignment.id)
        .order_by(AssignmentEvent.id)
    )
    return [(e.from_state, e.to_state, e.actor_id) for e in events]


def test_the_whole_path_records_who_and_when(team):
    offer, writer, editor, director, job = (
        team[k] for k in ("offer", "writer", "editor", "director", "job")
    )
    lifecycle.accept(offer, writer)
    assert offer.answered_at is not None
    job_services.confirm_escrow(job, director.person, utcnow())
    lifecycle.start(offer, writer)
    services.submit_work(offer, writer, text="第1稿です")
    lifecycle.review(offer, editor, approve=False, comment="見出しを直してください")
    services.submit_work(offer, writer, url="https://docs.example.jp/draft2")
    lifecycle.review(offer, director, approve=True)
    assert offer.state == "approved" and offer.revision_count == 1 and offer.approved_at
    assert steps(offer) == [
        (None, "offered", director.person_id),
        ("offered", "accepted", writer.person_id),
        ("accepted", "in_progress", writer.person_id),
        ("in_progress", "submitted", writer.person_id),
        ("submitted", "changes_requested", editor.person_id),
        ("changes_requested", "submitted", writer.person_id),
        ("submitted", "approved", director.person_id),
    ]
    submissions = db.session.scalars(sa.select(Submission).order_by(Submission.number)).all()
    assert [(s.number, s.kind, s.decision) for s in submissions] == [
        (1, "text", "changes_requested"),
        (2, "link", "approved"),
    ]
    assert submissions[0].review_comment == "見出しを直してください"


def test_no_start_before_escrow_on_a_platform_job(team):
    offer, writer = team["offer"], team["writer"]
    lifecycle.accept(offer, writer)
    with pytest.raises(Conflict) as refused:
        lifecycle.start(offer, writer)
    assert "仮払い" in refused.value.message
    assert offer.state == "accepted"


def test_direct_jobs_need_no_escrow(team):
    team["job"].source = "direct"
    lifecycle.accept(team["offer"], team["writer"])
    lifecycle.start(team["offer"], team["writer"])
    assert team["offer"].state == "in_progress"


def test_illegal_transitions_are_refused(team):
    offer, writer, editor, director = (team[k] for k in ("offer", "writer", "editor", "director"))
    with pytest.raises(Conflict):
        lifecycle.start(offer, writer)  # not accepted yet
    with pytest.raises(NotAllowed):
        lifecycle.accept(offer, editor)  # not theirs
    lifecycle.decline(offer, writer, "子どもの発熱のため")
    with pytest.raises(Conflict):
        services.submit_work(offer, writer, text="やっぱりやります")
    with pytest.raises(Conflict):
        lifecycle.accept(offer, writer)
    with pytest.raises(Conflict):
        lifecycle.cancel(offer, director, "x")
    assert offer.state == "declined"


def test_nobody_approves_their_own_work(ctx):
    director_person = make_person()
    team = make_team(director_person)
    director = db.session.scalar(sa.select(Membership).where(Membership.team_id == team.id))
    job = make_job(team, director_person, source="direct")
    line = splitting.SplitLine(
        membership_id=director.id, units=4, due_at=job.due_at, override_reason="自分で"
    )
    [own] = splitting.save_split(job, director, [line], 0, 0).created
    lifecycle.accept(own, director)
    lifecycle.start(own, director)
    services.submit_work(own, director, text="done")
    with pytest.raises(NotAllowed):
        lifecycle.review(own, director, approve=True)
    member = add_member(team)
    with pytest.raises(NotAllowed):
        lifecycle.review(own, member, approve=True)


def test_asking_for_changes_needs_a_comment(team):
    offer, writer, editor = team["offer"], team["writer"], team["editor"]
    team["job"].source = "direct"
    lifecycle.accept(offer, writer)
    lifecycle.start(offer, writer)
    services.submit_work(offer, writer, text="draft")
    with pytest.raises(Invalid):
        lifecycle.review(offer, editor, approve=False, comment=" ")
    assert offer.state == "submitted"


def test_only_directors_cancel_or_reassign(team):
    offer, _writer, editor, director = (team[k] for k in ("offer", "writer", "editor", "director"))
    with pytest.raises(NotAllowed):
        lifecycle.cancel(offer, editor, "x")
    other = give_capacity(add_member(offer.job.team))
    with pytest.raises(NotAllowed):
        services.reassign(offer, editor, other)
    successor = services.reassign(offer, director, other, "体調不良")
    assert offer.state == "reassigned"
    assert (successor.state, successor.membership_id, successor.units, successor.replaces_id) == (
        "offered", other.id, 8, offer.id,
    )  # fmt: skip
    with pytest.raises(Invalid):
        services.reassign(successor, director, other)


def test_empty_or_bad_submissions_are_refused(team):
    offer, writer = team["offer"], team["writer"]
    team["job"].source = "direct"
    lifecycle.accept(offer, writer)
    lifecycle.start(offer, writer)
    with pytest.raises(Invalid):
        services.submit_work(offer, writer)
    with pytest.raises(Invalid):
        services.submit_work(offer, writer, url="javascript:alert(1)")


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("report.pdf", PDF),
        ("photo.png", PNG),
        ("article.docx", docx_bytes()),
        ("notes.txt", "本文".encode()),
    ],
)
def test_documents_and_images_are_accepted_by_content(app, ctx, name, data):
    stored = uploads.store(name, data)
    assert stored.stored_name != name and stored.stored_name.endswith(name.rsplit(".", 1)[1])
    assert uploads.path_of(stored.stored_name).read_bytes() == data


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("virus.pdf", b"MZ\x90\x00" + b"\x00" * 100),
        ("photo.png", PDF),
        ("script.exe", b"MZ\x90\x00"),
        ("page.html", b"<script>alert(1)</script>"),
        ("notes.txt", PNG),
        ("notes.txt", "本文".encode("shift_jis")),
        ("empty.pdf", b""),
        ("noextension", PDF),
    ],
)
def test_other_files_are_refused(ctx, name, data):
    with pytest.raises(Invalid):
        uploads.store(name, data)


def test_files_over_ten_megabytes_are_refused(ctx):
    with pytest.raises(Invalid):
        uploads.store("big.pdf", PDF + b"0" * (10 * 1024 * 1024))


def test_uploaded_names_cannot_escape_the_folder(ctx):
    stored = uploads.store("../../etc/passwd.txt", b"hello")
    assert stored.original_name == "passwd.txt"
    assert uploads.path_of("../../" + stored.stored_name).parent == uploads.upload_folder()


def make_history(team_id, job_id, membership_id, **fields) -> Assignment:
    now = utcnow()
    values = {"offered_at": now - timedelta(days=10), "due_at": now - timedelta(days=2), "units": 1}
    values.update(fields)
    assignment = Assignment(team_id=team_id, job_id=job_id, membership_id=membership_id, **values)
    db.session.add(assignment)
    return assignment


def test_reliability_is_computed_from_history(team):
    writer, job = team["writer"], team["job"]
    now = utcnow()
    offered = now - timedelta(days=10)
    args = (job.team_id, job.id, writer.id)
    # The split's fresh offer (just now, unanswered) is not counted yet: it is inside its 24 h.
    make_history(
        *args,
        state="approved",
        answered_at=offered + timedelta(hours=2),
        first_submitted_at=now - timedelta(days=3),
    )  # on time, answered fast
    make_history(
        *args,
        state="approved",
        answered_at=offered + timedelta(hours=30),
        first_submitted_at=now - timedelta(days=1),
        revision_count=2,
    )  # late, slow, revised
    make_history(*args, state="cancelled", answered_at=offered + timedelta(hours=1))
    make_history(*args, state="declined", answered_at=offered + timedelta(hours=5))
    make_history(*args, state="offered")  # never answered, 10 days old
    db.session.flush()  # fmt: skip
    figures = reliability_for([writer.id])[writer.id]
    assert figures.answered_in_24h == Rate(3, 5)
    assert figures.completion == Rate(2, 3)
    assert figures.on_time == Rate(1, 2)
    assert figures.revision == Rate(1, 2)
    assert figures.answered_in_24h.percent == 60 and Rate(0, 0).percent is None
    assert (figures.answered_in_24h.shown, figures.answered_in_24h.fraction) == ("60%", "3/5")
    assert (Rate(0, 0).shown, Rate(0, 0).fraction) == ("—", "0/0")


def expected_reliability(history: list[dict], now) -> Reliability:
    """The rule as DESIGN.md states it, independently of the SQL that computes it."""
    day = timedelta(hours=24)
    answered = [h for h in history if h["answered_at"] is not None]
    counted = [h for h in history if h["answered_at"] is not None or now - h["offered_at"] > day]
    fast = [h for h in answered if h["answered_at"] - h["offered_at"] <= day]
    finished = [h for h in answered if h["state"] in ("approved", "cancelled", "reassigned")]
    approved = [h for h in history if h["state"] == "approved"]
    on_time = [
        h
        for h in approved
        if h["first_submitted_at"] is not None and h["first_submitted_at"] <= h["due_at"]
    ]
    revised = [h for h in approved if h["revision_count"] > 0]
    return Reliability(
        answered_in_24h=Rate(len(fast), len(counted)),
        completion=Rate(len(approved), len(finished)),
        on_time=Rate(len(on_time), len(approved)),
        revision=Rate(len(revised), len(approved)),
    )


MICROSECOND = timedelta(microseconds=1)
# Answers and deliveries around the rule's edges, to the microsecond.
ANSWER_DELAYS = st.sampled_from(
    [timedelta(0), timedelta(hours=2), timedelta(hours=24) - MICROSECOND, timedelta(hours=24),
     timedelta(hours=24) + MICROSECOND, timedelta(hours=30)]
)  # fmt: skip
DELIVERY_LEADS = st.sampled_from(
    [timedelta(days=-1), -MICROSECOND, timedelta(0), MICROSECOND, timedelta(days=2)]
)
ASSIGNMENTS = st.lists(
    st.fixed_dictionaries(
        {
            "state": st.sampled_from(
                [
                    "offered",
                    "accepted",
                    "in_progress",
                    "submitted",
                    "changes_requested",
                    "approved",
                    "declined",
                    "cancelled",
                    "reassigned",
                ]
            ),
            "age": st.sampled_from([timedelta(hours=1), timedelta(hours=25), timedelta(days=9)]),
            "answer": st.none() | ANSWER_DELAYS,
            "delivered": st.none() | DELIVERY_LEADS,
            "revision_count": st.integers(0, 2),
        }
    ),
    max_size=8,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(drawn=ASSIGNMENTS)
def test_reliability_follows_the_rule_to_the_microsecond(team, drawn):
    """The figures a member and the split page show are the ones the rule gives, at every
    edge."""
    savepoint = db.session.begin_nested()
    job = team["job"]
    writer = add_member(job.team)
    now = utcnow()
    history = []
    for d in drawn:
        history.append(history_values(d, now))
        make_history(job.team_id, job.id, writer.id, units=1, **history[-1])
    db.session.flush()
    expected = expected_reliability(history, now)
    assert reliability_for([writer.id], now)[writer.id] == expected
    with time_machine.travel(now, tick=False):
        assert my_work.my_assignments(writer)[1] == expected  # the member's own page
    [candidate] = [c for c in splitting.candidates(job) if c.membership_id == writer.id]
    assert candidate.reliability == expected
    savepoint.rollback()


def test_an_unanswered_offer_counts_once_its_24_hours_have_passed(team):
    job = team["job"]
    writer = add_member(job.team)
    now = utcnow()
    make_history(
        job.team_id, job.id, writer.id, state="offered", offered_at=now - timedelta(hours=24)
    )
    db.session.flush()
    assert reliability_for([writer.id], now)[writer.id].answered_in_24h == Rate(0, 0)
    assert reliability_for([writer.id], now + MICROSECOND)[writer.id].answered_in_24h == Rate(0, 1)


def test_work_first_delivered_at_the_deadline_itself_is_on_time(team):
    job = team["job"]
    writer = add_member(job.team)
    due = utcnow() - timedelta(days=2)
    for delivered in (due, due + MICROSECOND):
        make_history(job.team_id, job.id, writer.id, state="approved", due_at=due,
                     answered_at=due - timedelta(days=3), first_submitted_at=delivered)  # fmt: skip
    db.session.flush()
    assert reliability_for([writer.id])[writer.id].on_time == Rate(1, 2)
    assert my_work.my_assignments(writer)[1].on_time == Rate(1, 2)
