"""Read-only lookups for training pages, each scoped to what the signed-in person may see.

Coordinators and mentors reach an organisation through their membership; trainees reach only
their own enrolments; directors see graduates recommended to their team; certificates are public
by code and show four facts.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC
from typing import NamedTuple

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from teamhub.auth.models import Person
from teamhub.clock import JST, today_jst
from teamhub.database import read_rows, sql_constant
from teamhub.errors import NotAllowed, NotFound
from teamhub.extensions import db
from teamhub.payouts.models import FirstPaidDay, PaidDay
from teamhub.skills import PersonSkill
from teamhub.teams.models import Membership, Team
from teamhub.training import outcomes
from teamhub.training.models import (
    Attendance,
    Cohort,
    CohortSession,
    Curriculum,
    CurriculumModule,
    Enrolment,
    Lesson,
    LessonRead,
    ModuleCompletion,
    Organisation,
    OrganisationMembership,
    PracticeSubmission,
    Recommendation,
)

# Access --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OrgAccess:
    """A loaded organisation and the signed-in person's active role in it."""

    org: Organisation
    membership: OrganisationMembership

    @property
    def is_coordinator(self) -> bool:
        return self.membership.can("coordinator")


def org_access(org_slug: str, person: Person, need: str = "coordinator") -> OrgAccess:
    """Load an organisation through the person's role; strangers get 404, mentors 403."""
    row = db.session.execute(
        sa.select(Organisation, OrganisationMembership)
        .join(OrganisationMembership, OrganisationMembership.organisation_id == Organisation.id)
        .where(
            Organisation.slug == org_slug,
            OrganisationMembership.person_id == person.id,
            OrganisationMembership.ended_at.is_(None),
        )
    ).first()
    if row is None:
        raise NotFound(_("This organisation does not exist or you do not work for it."))
    org, membership = row
    if not membership.can(need):
        raise NotAllowed(_("Only the organisation's coordinators can do this."))
    return OrgAccess(org, membership)


def _in_org(row, org: Organisation, message):
    if row is None or row.organisation_id != org.id:
        raise NotFound(str(message))
    return row


def org_curriculum(org: Organisation, curriculum_id: int) -> Curriculum:
    return _in_org(
        db.session.get(Curriculum, curriculum_id), org, _l("This curriculum does not exist here.")
    )


def org_module(org: Organisation, module_id: int) -> CurriculumModule:
    module = db.session.get(CurriculumModule, module_id)
    if module is None or module.curriculum.organisation_id != org.id:
        raise NotFound(_("This module does not exist here."))
    return module


def org_lesson(org: Organisation, lesson_id: int) -> Lesson:
    lesson = db.session.get(Lesson, lesson_id)
    if lesson is None or lesson.module.curriculum.organisation_id != org.id:
        raise NotFound(_("This lesson does not exist here."))
    return lesson


NO_SUCH_COHORT = _l("This cohort does not exist here.")


def org_cohort(org: Organisation, cohort_id: int) -> Cohort:
    return _in_org(db.session.get(Cohort, cohort_id), org, NO_SUCH_COHORT)


def org_session(org: Organisation, session_id: int) -> CohortSession:
    session = db.session.get(CohortSession, session_id)
    if session is None or session.cohort.organisation_id != org.id:
        raise NotFound(_("This session does not exist here."))
    return session


def org_enrolment(org: Organisation, enrolment_id: int) -> Enrolment:
    enrolment = db.session.get(Enrolment, enrolment_id)
    if enrolment is None or enrolment.cohort.organisation_id != org.id:
        raise NotFound(_("This trainee is not in your organisation."))
    return enrolment


def org_submission(org: Organisation, submission_id: int) -> PracticeSubmission:
    submission = db.session.get(PracticeSubmission, submission_id)
    if submission is None or submission.enrolment.cohort.organisation_id != org.id:
        raise NotFound(_("This practice work does not exist here."))
    return submission


def org_membership(org: Organisation, membership_id: int) -> OrganisationMembership:
    return _in_org(
        db.session.get(OrganisationMembership, membership_id),
        org,
        _l("This person has no role here."),
    )


def my_enrolment(person: Person, enrolment_id: int) -> Enrolment:
    """One of the person's own enrolments; anyone else's is 404."""
    enrolment = db.session.get(Enrolment, enrolment_id)
    if enrolment is None or enrolment.person_id != person.id:
        raise NotFound(_("This training does not exist or is not yours."))
    return enrolment


def enrolment_module(enrolment: Enrolment, module_id: int) -> CurriculumModule:
    """A module of the enrolment's curriculum (a retired one only if the trainee completed it)."""
    module = db.session.get(CurriculumModule, module_id)
    if module is None or module.curriculum_id != enrolment.cohort.curriculum_id:
        raise NotFound(_("This module is not part of your training."))
    if module.retired_at is not None and not _completed_ids(enrolment) & {module.id}:
        raise NotFound(_("This module is not part of your training."))
    return module


def module_lesson(module: CurriculumModule, lesson_id: int) -> Lesson:
    lesson = db.session.get(Lesson, lesson_id)
    if lesson is None or lesson.module_id != module.id:
        raise NotFound(_("This lesson is not part of this module."))
    return lesson


# Lists for coordinators ----------------------------------------------------------------------


def organisations() -> list[Organisation]:
    return list(db.session.scalars(sa.select(Organisation).order_by(Organisation.name)))


def staff(org: Organisation) -> list[OrganisationMembership]:
    return list(
        db.session.scalars(
            sa.select(OrganisationMembership)
            .where(
                OrganisationMembership.organisation_id == org.id,
                OrganisationMembership.ended_at.is_(None),
            )
            .options(selectinload(OrganisationMembership.person))
            .order_by(OrganisationMembership.appointed_at)
        )
    )


def curricula(org: Organisation) -> list[Curriculum]:
    return list(
        db.session.scalars(
            sa.select(Curriculum)
            .where(Curriculum.organisation_id == org.id)
            .options(selectinload(Curriculum.modules))
            .order_by(Curriculum.created_at.desc(), Curriculum.id.desc())
        )
    )


def cohorts(org: Organisation) -> list[Cohort]:
    return list(
        db.session.scalars(
            sa.select(Cohort)
            .where(Cohort.organisation_id == org.id)
            .options(selectinload(Cohort.curriculum), selectinload(Cohort.sessions))
            .order_by(Cohort.enrol_opens_on.desc(), Cohort.id.desc())
        )
    )


def cohorts_on(curriculum: Curriculum) -> list[Cohort]:
    return list(
        db.session.scalars(
            sa.select(Cohort).where(Cohort.curriculum_id == curriculum.id).order_by(Cohort.id)
        )
    )


def pending_reviews(org: Organisation) -> list[PracticeSubmission]:
    """Practice work waiting for a decision, oldest first."""
    return list(
        db.session.scalars(
            sa.select(PracticeSubmission)
            .join(Enrolment, Enrolment.id == PracticeSubmission.enrolment_id)
            .join(Cohort, Cohort.id == Enrolment.cohort_id)
            .where(
                Cohort.organisation_id == org.id,
                PracticeSubmission.decision.is_(None),
                Enrolment.status != "withdrawn",
            )
            .options(
                selectinload(PracticeSubmission.enrolment).selectinload(Enrolment.person),
                selectinload(PracticeSubmission.module),
            )
            .order_by(PracticeSubmission.submitted_at, PracticeSubmission.id)
        )
    )


def submissions_for(enrolment: Enrolment, module: CurriculumModule) -> list[PracticeSubmission]:
    return list(
        db.session.scalars(
            sa.select(PracticeSubmission)
            .where(
                PracticeSubmission.enrolment_id == enrolment.id,
                PracticeSubmission.module_id == module.id,
            )
            .order_by(PracticeSubmission.number.desc())
        )
    )


def teams_for_recommendation() -> list[Team]:
    return list(db.session.scalars(sa.select(Team).order_by(Team.prefecture, Team.name)))


def recommendations_of(enrolment: Enrolment) -> list[Recommendation]:
    return list(
        db.session.scalars(
            sa.select(Recommendation)
            .where(Recommendation.enrolment_id == enrolment.id)
            .options(selectinload(Recommendation.team))
            .order_by(Recommendation.created_at)
        )
    )


# Progress ------------------------------------------------------------------------------------


def completions_of(enrolment: Enrolment) -> dict[int, ModuleCompletion]:
    """The trainee's completions by module id, read fresh from the database."""
    return {
        c.module_id: c
        for c in db.session.scalars(
            sa.select(ModuleCompletion).where(ModuleCompletion.enrolment_id == enrolment.id)
        )
    }


def _completed_ids(enrolment: Enrolment) -> set[int]:
    return set(
        db.session.scalars(
            sa.select(ModuleCompletion.module_id).where(
                ModuleCompletion.enrolment_id == enrolment.id
            )
        )
    )


@dataclass(frozen=True)
class ModuleProgress:
    module: CurriculumModule
    completion: ModuleCompletion | None
    lessons_read: int
    lessons_total: int
    waiting_review: bool

    @property
    def percent(self) -> int:
        """Completed modules are 100%; otherwise read lessons out of lessons plus completion."""
        if self.completion is not None:
            return 100
        return self.lessons_read * 100 // (self.lessons_total + 1)


@dataclass(frozen=True)
class Progress:
    modules: list[ModuleProgress]
    retired_completions: list[ModuleCompletion]  # done in modules since removed: history stays

    @property
    def done(self) -> int:
        return sum(1 for m in self.modules if m.completion is not None)

    @property
    def total(self) -> int:
        return len(self.modules)

    @property
    def percent(self) -> int:
        return self.done * 100 // self.total if self.total else 0


def progress(enrolment: Enrolment) -> Progress:
    """Per-module and overall progress of one trainee, against the curriculum as it is now."""
    modules = db.session.scalars(
        sa.select(CurriculumModule)
        .where(CurriculumModule.curriculum_id == enrolment.cohort.curriculum_id)
        .options(selectinload(CurriculumModule.lessons))
        .order_by(CurriculumModule.position, CurriculumModule.id)
    ).all()
    completions = completions_of(enrolment)
    read = set(
        db.session.scalars(
            sa.select(LessonRead.lesson_id).where(LessonRead.enrolment_id == enrolment.id)
        )
    )
    waiting = set(
        db.session.scalars(
            sa.select(PracticeSubmission.module_id).where(
                PracticeSubmission.enrolment_id == enrolment.id,
                PracticeSubmission.decision.is_(None),
            )
        )
    )
    current = [
        ModuleProgress(
            module=m,
            completion=completions.get(m.id),
            lessons_read=sum(1 for lesson in m.lessons if lesson.id in read),
            lessons_total=len(m.lessons),
            waiting_review=m.id in waiting,
        )
        for m in modules
        if m.retired_at is None
    ]
    retired = [completions[m.id] for m in modules if m.retired_at and m.id in completions]
    return Progress(current, retired)


@dataclass(frozen=True)
class RosterRow:
    enrolment: Enrolment
    done: int
    present: int
    recorded: int


def cohort_roster(cohort: Cohort, include_withdrawn: bool = True) -> list[RosterRow]:
    """The cohort's trainees with their people, modules done and attendance: three queries."""
    query = (
        sa.select(Enrolment)
        .where(Enrolment.cohort_id == cohort.id)
        .options(selectinload(Enrolment.person))
        .order_by(Enrolment.enrolled_at, Enrolment.id)
    )
    if not include_withdrawn:
        query = query.where(Enrolment.status != "withdrawn")
    enrolments = db.session.scalars(query).all()
    ids = [e.id for e in enrolments]
    done = dict(
        db.session.execute(
            sa.select(ModuleCompletion.enrolment_id, sa.func.count(ModuleCompletion.id))
            .join(CurriculumModule, CurriculumModule.id == ModuleCompletion.module_id)
            .where(ModuleCompletion.enrolment_id.in_(ids), CurriculumModule.retired_at.is_(None))
            .group_by(ModuleCompletion.enrolment_id)
        ).all()
    )
    # Attendance: each enrolment's counts of its marks, as the outcome reports read them.
    return [
        RosterRow(e, done.get(e.id, 0), e.sessions_present, e.sessions_recorded) for e in enrolments
    ]


def lessons_read(enrolment: Enrolment) -> set[int]:
    return set(
        db.session.scalars(
            sa.select(LessonRead.lesson_id).where(LessonRead.enrolment_id == enrolment.id)
        )
    )


def session_marks(session: CohortSession) -> dict[int, str]:
    return dict(
        db.session.execute(
            sa.select(Attendance.enrolment_id, Attendance.status).where(
                Attendance.session_id == session.id
            )
        ).all()
    )


def my_attendance(enrolment: Enrolment) -> dict[int, str]:
    return dict(
        db.session.execute(
            sa.select(Attendance.session_id, Attendance.status).where(
                Attendance.enrolment_id == enrolment.id
            )
        ).all()
    )


# Trainees, directors and the dashboard --------------------------------------------------------


def enrolments_of(person: Person) -> list[Enrolment]:
    return list(
        db.session.scalars(
            sa.select(Enrolment)
            .where(Enrolment.person_id == person.id)
            .options(selectinload(Enrolment.cohort).selectinload(Cohort.curriculum))
            .order_by(Enrolment.enrolled_at.desc())
        )
    )


def roles_of(person: Person) -> list[OrganisationMembership]:
    return list(
        db.session.scalars(
            sa.select(OrganisationMembership)
            .where(
                OrganisationMembership.person_id == person.id,
                OrganisationMembership.ended_at.is_(None),
            )
            .options(selectinload(OrganisationMembership.organisation))
        )
    )


@dataclass(frozen=True)
class Dashboard:
    roles: list[OrganisationMembership]
    enrolments: list[Enrolment]
    recommended: list[tuple[Team, int]]  # teams the person directs, with graduates recommended
    is_operator: bool


def dashboard(person: Person) -> Dashboard:
    """What the home page links to for training: organisations, own cohorts, recommendations."""
    recommended = db.session.execute(
        sa.select(Team, sa.func.count(Recommendation.id))
        .join(Membership, Membership.team_id == Team.id)
        .join(Recommendation, Recommendation.team_id == Team.id)
        .where(
            Membership.person_id == person.id,
            Membership.role == "director",
            Membership.removed_at.is_(None),
        )
        .group_by(Team.id)
        .order_by(Team.name)
    ).all()
    return Dashboard(
        roles=roles_of(person),
        enrolments=enrolments_of(person),
        recommended=[(team, n) for team, n in recommended],
        is_operator=bool(person.is_operator),
    )


@dataclass(frozen=True)
class Graduate:
    recommendation: Recommendation
    skills: list[str]
    fitting: list[str]  # the graduate's skills that the team's open jobs ask for


def team_graduates(team: Team) -> tuple[list[Graduate], list[str]]:
    """Graduates recommended to the team, best fit first, and the skills its open jobs need."""
    from teamhub.jobs.models import Job

    needed = sorted(
        {
            code
            for skills in db.session.scalars(
                sa.select(Job.required_skills).where(Job.team_id == team.id, Job.status == "open")
            )
            for code in skills or []
        }
    )
    recommendations = db.session.scalars(
        sa.select(Recommendation)
        .where(Recommendation.team_id == team.id)
        .options(
            selectinload(Recommendation.enrolment).selectinload(Enrolment.person),
            selectinload(Recommendation.enrolment)
            .selectinload(Enrolment.cohort)
            .selectinload(Cohort.curriculum),
        )
        .order_by(Recommendation.created_at.desc())
    ).all()
    skills = _training_skills([r.enrolment.person_id for r in recommendations])
    graduates = [
        Graduate(
            r,
            sorted(skills.get(r.enrolment.person_id, ())),
            sorted(skills.get(r.enrolment.person_id, set()) & set(needed)),
        )
        for r in recommendations
    ]
    graduates.sort(key=lambda g: -len(g.fitting))
    return graduates, needed


def _training_skills(person_ids: list[int]) -> dict[int, set[str]]:
    skills: dict[int, set[str]] = defaultdict(set)
    rows = db.session.execute(
        sa.select(PersonSkill.person_id, PersonSkill.skill).where(
            PersonSkill.person_id.in_(person_ids), PersonSkill.source == "training"
        )
    )
    for person_id, code in rows:
        skills[person_id].add(code)
    return skills


# Certificates --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CertificateView:
    """Exactly what the public verification page shows, and nothing else."""

    name: str
    cohort: str
    curriculum: str
    completed_on: object  # date in Japan


def certificate(code: str) -> CertificateView:
    """The certificate with this code, for anyone who has the link."""
    normalised = (code or "").strip().upper()
    enrolment = db.session.scalar(
        sa.select(Enrolment).where(
            Enrolment.certificate_code == normalised, Enrolment.status == "completed"
        )
    )
    if enrolment is None or enrolment.completed_at is None:
        raise NotFound(
            _("No certificate has this code. Check the code on the certificate and try again.")
        )
    return CertificateView(
        name=enrolment.person.display_name,
        cohort=enrolment.cohort.name,
        curriculum=enrolment.cohort.curriculum.title,
        completed_on=enrolment.completed_at.astimezone(JST).date(),
    )


# Outcome report ------------------------------------------------------------------------------


def _enrolment_columns() -> tuple:
    return (
        Enrolment.cohort_id,
        Enrolment.person_id,
        Enrolment.status,
        # Read as the driver gives it: 10,000 rows share a few hundred completion times,
        # which day_of turns into days in Japan once each.
        sa.type_coerce(Enrolment.completed_at, sa.DateTime(timezone=True)),
    )


@functools.cache
def _trainee_records_statement() -> sa.Select:
    """Built once (cohort ids bound at each run): every outcome report runs it. Attendance is
    read from each enrolment's counts (``Enrolment.sessions_present``/``sessions_recorded``),
    not counted from the marks: for an organisation's 10,000 trainees ~94,000 marks took
    ~75 ms of PostgreSQL's time."""
    return (
        sa.select(*_enrolment_columns(), Enrolment.sessions_present, Enrolment.sessions_recorded)
        .where(Enrolment.cohort_id.in_(sa.bindparam("cohort_ids", expanding=True)))
        .order_by(Enrolment.id)
    )


TraineeRows = list[tuple[int, outcomes.TraineeRecord]]


def _records_from(rows) -> TraineeRows:
    days: dict = {None: None}  # a cohort's graduates share their completion time

    def day_of(at):
        if at not in days:
            aware = at if at.tzinfo is not None else at.replace(tzinfo=UTC)  # SQLite: naive UTC
            days[at] = aware.astimezone(JST).date()
        return days[at]

    return [
        (
            cohort_id,
            outcomes.TraineeRecord(
                person_id, status, day_of(completed_at), int(n_present), n_recorded
            ),
        )
        for cohort_id, person_id, status, completed_at, n_present, n_recorded in rows
        if person_id is not None
    ]


def trainee_records(cohort_ids: list[int]) -> TraineeRows:
    """(cohort id, record) for every enrolment of these cohorts, with attendance counts.

    One grouped query, whatever the number of trainees: an organisation may have 10,000.
    """
    if not cohort_ids:
        return []
    return _records_from(read_rows(_trainee_records_statement(), {"cohort_ids": cohort_ids}))


class CohortHeading(NamedTuple):
    """What a cohort's report shows of the cohort: the page reads it on every row of the
    trainees' records, where a whole ``Cohort`` (eleven columns and an ORM object per row)
    cost ~0.3 ms."""

    id: int
    name: str


class CohortReading(NamedTuple):
    """What a cohort's report page reads: the cohort, its trainees' records and the paid work
    of its graduates in the report's earnings window."""

    cohort: CohortHeading
    records: TraineeRows
    paid: dict[int, outcomes.PaidWork]


# The columns of :func:`_cohort_reading_statement`'s rows; each kind of row fills some:
# "cohort" (one row): text = its name; "trainee": person, number = sessions present, other =
# sessions recorded, text = status, at = completed at; "day": person, number = net yen, day =
# paid on; "first": person, day = first paid day.
_READING_COLUMNS = {
    "kind": sa.String(),
    "person_id": sa.Integer(),
    "number": sa.Integer(),
    "other": sa.Integer(),
    "text": sa.String(),
    "at": sa.DateTime(timezone=True),
    "day": sa.Date(),
}


def _reading_row(kind: str, **values) -> list:
    """A select list in ``_READING_COLUMNS``' order: these values, typed nulls elsewhere."""
    values["kind"] = sql_constant(kind)
    return [
        (values.get(name, sa.cast(sa.null(), type_))).label(name)
        for name, type_ in _READING_COLUMNS.items()
    ]


@functools.cache
def _cohort_reading_statement() -> sa.CompoundSelect:
    """Built once: a cohort of an organisation (its name), its trainees' records
    and its graduates' paid days in the earnings window and first paid days, as rows of a few
    shared columns (``_READING_COLUMNS``). One round trip instead of two: each query costs a
    page ~0.2 ms of the app's CPU besides PostgreSQL's."""
    cohort_id = sa.bindparam("cohort_id", type_=sa.Integer)
    this_cohort = sa.and_(Cohort.id == cohort_id, Cohort.organisation_id == sa.bindparam("org_id"))
    _cohort_id, person_id, status, completed_at = _enrolment_columns()
    heading = sa.select(*_reading_row("cohort", text=Cohort.name)).where(this_cohort)
    trainees = (
        sa.select(
            *_reading_row(
                "trainee",
                person_id=person_id,
                number=Enrolment.sessions_present,
                other=Enrolment.sessions_recorded,
                text=status,
                at=completed_at,
            )
        )
        .join(Cohort, Cohort.id == Enrolment.cohort_id)
        .where(this_cohort)
    )
    graduates = sa.select(Enrolment.person_id).where(
        Enrolment.cohort_id == cohort_id, Enrolment.status == sql_constant("completed")
    )
    window = sa.select(
        *_reading_row(
            "day", person_id=PaidDay.person_id, number=PaidDay.net_yen, day=PaidDay.paid_on
        )
    ).where(PaidDay.person_id.in_(graduates), PaidDay.paid_on >= sa.bindparam("since"))
    firsts = sa.select(
        *_reading_row("first", person_id=FirstPaidDay.person_id, day=FirstPaidDay.paid_on)
    ).where(FirstPaidDay.person_id.in_(graduates))
    # In no order: every figure is a count, a sum or a median of the records.
    return sa.union_all(heading, trainees, window, firsts)


def cohort_reading(org: Organisation, cohort_id: int) -> CohortReading:
    """A cohort of ``org`` (404 otherwise), its trainees' records and its graduates' paid work
    in the earnings window of today's report, in one query."""
    since = outcomes.earnings_window_start(today_jst())
    statement = _cohort_reading_statement()
    name, trainees, recent, firsts = None, [], [], {}
    for kind, person_id, number, other, text, at, day in read_rows(
        statement, {"cohort_id": cohort_id, "org_id": org.id, "since": since}
    ):
        if kind == "trainee":
            trainees.append((cohort_id, person_id, text, at, number, other))
        elif kind == "day":
            recent.append((person_id, day, number))
        elif kind == "first":
            firsts[person_id] = day
        else:
            name = text
    if name is None:
        raise NotFound(str(NO_SUCH_COHORT))
    return CohortReading(
        CohortHeading(cohort_id, name),
        _records_from(trainees),
        outcomes.paid_work_from(recent, firsts),
    )


@dataclass(frozen=True)
class Report:
    org: Organisation
    rows: list[tuple[Cohort | CohortHeading, outcomes.Outcomes]]
    total: outcomes.Outcomes
    has_paid_work: bool


def _report_cohorts(org: Organisation) -> list[Cohort]:
    """The organisation's cohorts, newest first, without their sessions (the report needs none)."""
    return list(
        db.session.scalars(
            sa.select(Cohort)
            .where(Cohort.organisation_id == org.id)
            .order_by(Cohort.enrol_opens_on.desc(), Cohort.id.desc())
        )
    )


@functools.cache
def _graduates_statement() -> sa.Select:
    """The graduates of some cohorts (ids bound at each run), for the earnings figures."""
    return sa.select(Enrolment.person_id).where(
        Enrolment.cohort_id.in_(sa.bindparam("cohort_ids", expanding=True)),
        Enrolment.status == "completed",
    )


def outcome_report(
    org: Organisation,
    cohort: Cohort | CohortHeading | None = None,
    records: TraineeRows | None = None,
    paid: dict[int, outcomes.PaidWork] | None = None,
) -> Report:
    """The outcome figures per cohort of the organisation (or one cohort) and in total.
    ``records`` and ``paid``: the cohort's, when already read with it (:func:`cohort_reading`)."""
    chosen = [cohort] if cohort is not None else _report_cohorts(org)
    cohort_ids = [c.id for c in chosen]
    if records is None:
        records = trainee_records(cohort_ids)
    as_of = today_jst()
    if paid is None:
        # Earnings figures describe graduates only, so only their statements are read.
        paid = outcomes.paid_work_by_person(
            _graduates_statement() if records else [],
            since=outcomes.earnings_window_start(as_of),
            parameters={"cohort_ids": cohort_ids},
        )
    target = org.target_monthly_yen
    by_cohort: dict[int, list[outcomes.TraineeRecord]] = defaultdict(list)
    for cohort_id, record in records:
        by_cohort[cohort_id].append(record)
    rows = [(c, outcomes.compute_outcomes(by_cohort[c.id], paid, target, as_of)) for c in chosen]
    if cohort is not None:
        # One cohort holds each person once (unique per cohort): its figures are the total.
        total = rows[0][1]
    else:
        merged = outcomes.merge_by_person(r for _cohort_id, r in records)
        total = outcomes.compute_outcomes(merged, paid, target, as_of)
    return Report(org, rows, total, has_paid_work=bool(paid))


def completion_days(cohort_ids: list[int]) -> tuple[list, list]:
    """Days (Japan) on which modules were completed and trainees graduated, for the chart."""
    completed = db.session.scalars(
        sa.select(ModuleCompletion.completed_at)
        .join(Enrolment, Enrolment.id == ModuleCompletion.enrolment_id)
        .where(Enrolment.cohort_id.in_(cohort_ids))
    ).all()
    graduated = db.session.scalars(
        sa.select(Enrolment.completed_at).where(
            Enrolment.cohort_id.in_(cohort_ids), Enrolment.completed_at.is_not(None)
        )
    ).all()
    return (
        [at.astimezone(JST).date() for at in completed],
        [at.astimezone(JST).date() for at in graduated],
    )
