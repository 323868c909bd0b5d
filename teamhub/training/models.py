"""Training: organisations, curricula of modules and lessons, cohorts, and what trainees did.

Progress is recorded against what the trainee actually did: a completion keeps the module's
title, version and skills as they were, so editing a curriculum never rewrites a cohort's history.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from teamhub.clock import JST, UTCDateTime, utcnow
from teamhub.extensions import db

ORG_KIND_LABELS = {"city_hall": _l("City hall"), "npo": _l("NPO")}
ORG_KINDS = tuple(ORG_KIND_LABELS)

ORG_ROLE_LABELS = {"coordinator": _l("Coordinator"), "mentor": _l("Mentor")}
ORG_ROLES = tuple(ORG_ROLE_LABELS)
ORG_ROLE_RANK = {"mentor": 0, "coordinator": 1}

ENROLMENT_STATUS_LABELS = {
    "active": _l("In training"),
    "completed": _l("Completed"),
    "withdrawn": _l("Withdrawn"),
}
ATTENDANCE_LABELS = {"present": _l("Present"), "absent": _l("Absent"), "excused": _l("Excused")}
ATTENDANCE_STATUSES = tuple(ATTENDANCE_LABELS)
DECISION_LABELS = {"passed": _l("Passed"), "retry": _l("Another try requested")}

DEFAULT_TARGET_MONTHLY_YEN = 200_000


class Organisation(db.Model):
    """A city hall or an NPO that trains residents; its coordinators run the cohorts."""

    __tablename__ = "organisation"
    __table_args__ = (
        sa.CheckConstraint("target_monthly_yen > 0", name="target_positive"),
        sa.CheckConstraint("kind IN ('city_hall', 'npo')", name="kind_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(80))
    slug: Mapped[str] = mapped_column(sa.String(40), unique=True)
    kind: Mapped[str] = mapped_column(sa.String(20), default="npo")
    prefecture: Mapped[str] = mapped_column(sa.String(10))
    municipality: Mapped[str] = mapped_column(sa.String(40))
    # The monthly income the outcome report counts graduates against, in whole yen.
    target_monthly_yen: Mapped[int] = mapped_column(default=DEFAULT_TARGET_MONTHLY_YEN)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def region(self) -> str:
        return f"{self.prefecture}{self.municipality}"

    @property
    def kind_label(self) -> str:
        return str(ORG_KIND_LABELS[self.kind])


class OrganisationMembership(db.Model):
    """A person's role in an organisation; ending it keeps the row."""

    __tablename__ = "organisation_membership"
    __table_args__ = (
        sa.UniqueConstraint("organisation_id", "person_id"),
        sa.CheckConstraint("role IN ('coordinator', 'mentor')", name="role_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id"), index=True)
    role: Mapped[str] = mapped_column(sa.String(20), default="coordinator")
    appointed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    organisation = relationship("Organisation")
    person = relationship("Person")

    @property
    def active(self) -> bool:
        return self.ended_at is None

    @property
    def role_label(self) -> str:
        return str(ORG_ROLE_LABELS[self.role])

    def can(self, need: str) -> bool:
        return self.active and ORG_ROLE_RANK[self.role] >= ORG_ROLE_RANK[need]


class Curriculum(db.Model):
    __tablename__ = "curriculum"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(120))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organisation = relationship("Organisation")
    modules = relationship(
        "CurriculumModule",
        back_populates="curriculum",
        order_by="(CurriculumModule.position, CurriculumModule.id)",
    )

    @property
    def current_modules(self) -> list[CurriculumModule]:
        """The modules a trainee must complete now, in order; retired ones are left out."""
        return [m for m in self.modules if m.retired_at is None]


class CurriculumModule(db.Model):
    """A step of a curriculum. ``version`` grows on every edit; retired modules keep history."""

    __tablename__ = "curriculum_module"
    __table_args__ = (
        sa.Index("ix_curriculum_module_curriculum_position", "curriculum_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    curriculum_id: Mapped[int] = mapped_column(sa.ForeignKey("curriculum.id"))
    position: Mapped[int] = mapped_column(default=1)
    title: Mapped[str] = mapped_column(sa.String(120))
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    # Markdown; empty when the module has no practice task (completed by hand).
    practice_task: Mapped[str] = mapped_column(sa.Text, default="")
    skills: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    version: Mapped[int] = mapped_column(default=1)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    curriculum = relationship("Curriculum", back_populates="modules")
    lessons = relationship(
        "Lesson", back_populates="module", order_by="(Lesson.position, Lesson.id)"
    )

    @property
    def has_practice(self) -> bool:
        return bool(self.practice_task.strip())


class Lesson(db.Model):
    __tablename__ = "lesson"

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(sa.ForeignKey("curriculum_module.id"), index=True)
    position: Mapped[int] = mapped_column(default=1)
    title: Mapped[str] = mapped_column(sa.String(120))
    body: Mapped[str] = mapped_column(sa.Text, default="")  # Markdown, rendered safely

    module = relationship("CurriculumModule", back_populates="lessons")


class Cohort(db.Model):
    """A group running a curriculum. ``seats_taken`` is claimed atomically against capacity."""

    __tablename__ = "cohort"
    __table_args__ = (
        sa.CheckConstraint("capacity >= 1", name="capacity_positive"),
        sa.CheckConstraint("seats_taken >= 0 AND seats_taken <= capacity", name="seats_in_range"),
        sa.CheckConstraint("enrol_closes_on >= enrol_opens_on", name="window_ordered"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    curriculum_id: Mapped[int] = mapped_column(sa.ForeignKey("curriculum.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(80))
    capacity: Mapped[int]
    seats_taken: Mapped[int] = mapped_column(default=0)
    enrol_opens_on: Mapped[date]
    enrol_closes_on: Mapped[date]
    # The shareable application link; anyone with it may apply while it is open.
    application_code: Mapped[str] = mapped_column(sa.String(32), unique=True)
    applications_open: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organisation = relationship("Organisation")
    curriculum = relationship("Curriculum")
    sessions = relationship(
        "CohortSession",
        back_populates="cohort",
        order_by="(CohortSession.starts_at, CohortSession.id)",
    )

    @property
    def seats_left(self) -> int:
        return self.capacity - self.seats_taken

    def window_is_open(self, today: date) -> bool:
        return self.enrol_opens_on <= today <= self.enrol_closes_on


class CohortSession(db.Model):
    """A scheduled meeting: entered and shown in Japan time, stored in UTC."""

    __tablename__ = "cohort_session"
    __table_args__ = (
        sa.CheckConstraint(
            "duration_minutes > 0 AND duration_minutes <= 720", name="duration_range"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(sa.ForeignKey("cohort.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    duration_minutes: Mapped[int] = mapped_column(default=90)
    topic: Mapped[str] = mapped_column(sa.String(120), default="")
    place: Mapped[str] = mapped_column(sa.String(200), default="")
    online_url: Mapped[str] = mapped_column(sa.String(500), default="")

    cohort = relationship("Cohort", back_populates="sessions")

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def day_jst(self) -> date:
        return self.starts_at.astimezone(JST).date()


class Enrolment(db.Model):
    """A trainee's place in a cohort: active, then completed (with a certificate) or withdrawn."""

    __tablename__ = "enrolment"
    __table_args__ = (
        sa.UniqueConstraint("cohort_id", "person_id"),
        sa.CheckConstraint("status IN ('active', 'completed', 'withdrawn')", name="status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(sa.ForeignKey("cohort.id"), index=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id"), index=True)
    status: Mapped[str] = mapped_column(sa.String(20), default="active")
    via: Mapped[str] = mapped_column(sa.String(20), default="coordinator")  # or "application"
    enrolled_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    enrolled_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("person.id"))
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    certificate_code: Mapped[str | None] = mapped_column(sa.String(24), unique=True)
    # Its attendance marks counted: recounted from them whenever attendance is recorded
    # (progress.record_attendance), so an outcome report of 10,000 trainees reads two numbers
    # each instead of counting ~94,000 marks (migration 0012). The marks stay the record; tests
    # check that these always equal them.
    sessions_present: Mapped[int] = mapped_column(default=0, server_default="0")
    sessions_recorded: Mapped[int] = mapped_column(default=0, server_default="0")

    cohort = relationship("Cohort")
    person = relationship("Person", foreign_keys=[person_id])
    completions = relationship(
        "ModuleCompletion", back_populates="enrolment", order_by="ModuleCompletion.completed_at"
    )

    @property
    def status_label(self) -> str:
        return str(ENROLMENT_STATUS_LABELS[self.status])


class LessonRead(db.Model):
    """A trainee marked a lesson as read; it moves the module's progress bar."""

    __tablename__ = "lesson_read"
    __table_args__ = (sa.UniqueConstraint("enrolment_id", "lesson_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(sa.ForeignKey("enrolment.id"), index=True)
    lesson_id: Mapped[int] = mapped_column(sa.ForeignKey("lesson.id"), index=True)
    read_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Attendance(db.Model):
    __tablename__ = "attendance"
    __table_args__ = (
        sa.UniqueConstraint("session_id", "enrolment_id"),
        sa.CheckConstraint("status IN ('present', 'absent', 'excused')", name="status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("cohort_session.id"), index=True)
    enrolment_id: Mapped[int] = mapped_column(sa.ForeignKey("enrolment.id"), index=True)
    status: Mapped[str] = mapped_column(sa.String(10))
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PracticeSubmission(db.Model):
    """One try at a module's practice task, with the task as it read when the trainee answered."""

    __tablename__ = "practice_submission"
    __table_args__ = (
        sa.UniqueConstraint("enrolment_id", "module_id", "number"),
        sa.CheckConstraint(
            "decision IS NULL OR decision IN ('passed', 'retry')", name="decision_known"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(sa.ForeignKey("enrolment.id"), index=True)
    module_id: Mapped[int] = mapped_column(sa.ForeignKey("curriculum_module.id"), index=True)
    module_version: Mapped[int]
    task: Mapped[str] = mapped_column(sa.Text, default="")
    number: Mapped[int] = mapped_column(default=1)
    text: Mapped[str] = mapped_column(sa.Text, default="")
    link_url: Mapped[str] = mapped_column(sa.String(500), default="")
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decision: Mapped[str | None] = mapped_column(sa.String(10))
    comment: Mapped[str] = mapped_column(sa.Text, default="")
    reviewed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("person.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    enrolment = relationship("Enrolment")
    module = relationship("CurriculumModule")
    reviewed_by = relationship("Person", foreign_keys=[reviewed_by_id])

    @property
    def pending(self) -> bool:
        return self.decision is None


class ModuleCompletion(db.Model):
    """A module a trainee completed, frozen as it was: title, version and the skills it granted."""

    __tablename__ = "module_completion"
    __table_args__ = (
        sa.UniqueConstraint("enrolment_id", "module_id"),
        sa.CheckConstraint("how IN ('practice', 'manual')", name="how_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(sa.ForeignKey("enrolment.id"), index=True)
    module_id: Mapped[int] = mapped_column(sa.ForeignKey("curriculum_module.id"), index=True)
    module_version: Mapped[int]
    module_title: Mapped[str] = mapped_column(sa.String(120))
    skills: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    how: Mapped[str] = mapped_column(sa.String(10))
    completed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("person.id"))

    enrolment = relationship("Enrolment", back_populates="completions")


class Recommendation(db.Model):
    """A coordinator recommends a graduate to a team; the team's directors see it."""

    __tablename__ = "recommendation"
    __table_args__ = (sa.UniqueConstraint("enrolment_id", "team_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(sa.ForeignKey("enrolment.id"), index=True)
    team_id: Mapped[int] = mapped_column(sa.ForeignKey("team.id"), index=True)
    note: Mapped[str] = mapped_column(sa.String(500), default="")
    recommended_by_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    enrolment = relationship("Enrolment")
    team = relationship("Team")
