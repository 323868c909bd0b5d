"""What trainees do and what is recorded about them: attendance, lessons read, practice work,
module completion (with the skills it grants), graduation with a certificate, recommendations.

Services take models and plain values, check the rules, add and flush; the request commits.
Attendance marks are the record; each enrolment keeps their counts (``sessions_present``,
``sessions_recorded``), recounted here, the only place marks are written.
"""

from __future__ import annotations

import secrets
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from teamhub import signals
from teamhub.auth.models import Person
from teamhub.claims import claim, insert_once
from teamhub.clock import today_jst, utcnow
from teamhub.errors import Conflict, Invalid, NotFound
from teamhub.extensions import db
from teamhub.forms import too_long
from teamhub.i18n import jst_date
from teamhub.skills import PersonSkill
from teamhub.teams.models import Team
from teamhub.training.checks import check_web_link, refuse
from teamhub.training.models import (
    ATTENDANCE_STATUSES,
    Attendance,
    Cohort,
    CohortSession,
    CurriculumModule,
    Enrolment,
    Lesson,
    LessonRead,
    ModuleCompletion,
    PracticeSubmission,
    Recommendation,
)

CERTIFICATE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud safely
MAX_SUBMISSION_CHARS = 20_000
MAX_REVIEW_COMMENT_CHARS = 5000
MAX_RECOMMENDATION_NOTE_CHARS = 500


# Attendance ----------------------------------------------------------------------------------


def _check_marks(session: CohortSession, marks: dict[int, str], today: date) -> None:
    if today < session.day_jst:
        raise Conflict(
            _(
                "This session is on %(day)s. Take attendance on that day or later.",
                day=jst_date(session.day_jst),
            )
        )
    if not marks:
        raise Invalid(_("Mark at least one trainee as present, absent or excused."))
    if any(status not in ATTENDANCE_STATUSES for status in marks.values()):
        raise Invalid(_("Choose present, absent or excused for each trainee."))
    roster = db.session.scalars(
        sa.select(Enrolment.id).where(
            Enrolment.cohort_id == session.cohort_id, Enrolment.status != "withdrawn"
        )
    )
    if not set(marks) <= set(roster):
        raise Invalid(_("Some of the trainees marked are not in this cohort. Reload the page."))


def record_attendance(
    session: CohortSession, marks: dict[int, str], by: Person, today: date | None = None
) -> int:
    """Record present, absent or excused for trainees of the session's cohort; return how many."""
    _check_marks(session, marks, today or today_jst())
    recorded = {
        a.enrolment_id: a
        for a in db.session.scalars(
            sa.select(Attendance).where(Attendance.session_id == session.id)
        )
    }
    now = utcnow()
    for enrolment_id, status in marks.items():
        mark = recorded.get(enrolment_id)
        if mark is None:
            mark = Attendance(session_id=session.id, enrolment_id=enrolment_id, status=status,
                              recorded_by_id=by.id)  # fmt: skip
            if insert_once(mark):
                continue
            # Marked by another request at the same moment (a double click): mark over it.
            mark = db.session.scalar(
                sa.select(Attendance).where(
                    Attendance.session_id == session.id, Attendance.enrolment_id == enrolment_id
                )
            )
        mark.status, mark.recorded_by_id, mark.recorded_at = status, by.id, now
    db.session.flush()
    recount_attendance(list(marks))
    return len(marks)


def recount_attendance(enrolment_ids: list[int]) -> None:
    """Count these enrolments' attendance marks again into ``sessions_present`` and
    ``sessions_recorded`` (a summary the outcome reports read), in one statement."""
    marks = sa.select(sa.func.count()).where(Attendance.enrolment_id == Enrolment.id)
    db.session.execute(
        sa.update(Enrolment)
        .where(Enrolment.id.in_(enrolment_ids))
        .values(
            sessions_present=marks.where(Attendance.status == "present").scalar_subquery(),
            sessions_recorded=marks.scalar_subquery(),
        )
    )  # loaded enrolments have the two counts expired: read again when next used


# Lessons -------------------------------------------------------------------------------------


def _module_of_enrolment(enrolment: Enrolment, module: CurriculumModule) -> None:
    if module.curriculum_id != enrolment.cohort.curriculum_id:
        raise NotFound(_("This module is not part of your training."))


def mark_lesson_read(enrolment: Enrolment, lesson: Lesson) -> None:
    """Remember that the trainee read a lesson; reading twice changes nothing."""
    _module_of_enrolment(enrolment, lesson.module)
    if enrolment.status == "withdrawn":
        raise Conflict(_("Your place in this training has ended."))
    done = db.session.scalar(
        sa.select(LessonRead.id).where(
            LessonRead.enrolment_id == enrolment.id, LessonRead.lesson_id == lesson.id
        )
    )
    if done is None:  # read at the same moment by another request (a double click): the same
        insert_once(LessonRead(enrolment_id=enrolment.id, lesson_id=lesson.id))
    db.session.flush()


# Practice and completion ---------------------------------------------------------------------


def _completion(enrolment: Enrolment, module: CurriculumModule) -> ModuleCompletion | None:
    return db.session.scalar(
        sa.select(ModuleCompletion).where(
            ModuleCompletion.enrolment_id == enrolment.id, ModuleCompletion.module_id == module.id
        )
    )


def _require_open_module(enrolment: Enrolment, module: CurriculumModule) -> None:
    _module_of_enrolment(enrolment, module)
    if module.retired_at is not None:
        raise Conflict(_("This module was removed from the curriculum."))
    if enrolment.status == "withdrawn":
        raise Conflict(_("This place in the training has ended."))
    if _completion(enrolment, module) is not None:
        raise Conflict(_("This module is already completed."))


def _check_submission(enrolment: Enrolment, module: CurriculumModule, text: str, link_url: str):
    _require_open_module(enrolment, module)
    if not module.has_practice:
        raise Conflict(_("This module has no practice task."))
    waiting = db.session.scalar(
        sa.select(PracticeSubmission.id).where(
            PracticeSubmission.enrolment_id == enrolment.id,
            PracticeSubmission.module_id == module.id,
            PracticeSubmission.decision.is_(None),
        )
    )
    if waiting:
        raise Conflict(_("Your last try is waiting for review. You will see the feedback here."))
    if not text and not link_url.strip():
        refuse("text", _("Write your answer or paste a link to it."))
    if len(text) > MAX_SUBMISSION_CHARS:
        refuse("text", too_long(MAX_SUBMISSION_CHARS))


def submit_practice(
    enrolment: Enrolment, module: CurriculumModule, text: str = "", link_url: str = ""
) -> PracticeSubmission:
    """Hand in a try at the module's practice task for a coordinator to review."""
    text = text.strip()
    _check_submission(enrolment, module, text, link_url)
    last = db.session.scalar(
        sa.select(sa.func.max(PracticeSubmission.number)).where(
            PracticeSubmission.enrolment_id == enrolment.id,
            PracticeSubmission.module_id == module.id,
        )
    )
    submission = PracticeSubmission(
        enrolment_id=enrolment.id,
        module_id=module.id,
        module_version=module.version,
        task=module.practice_task,
        number=(last or 0) + 1,
        text=text,
        link_url=check_web_link(link_url, "link_url"),
    )
    if not insert_once(submission):  # the same try sent twice at once (a double click)
        raise Conflict(_("Your last try is waiting for review. You will see the feedback here."))
    signals.practice_submitted.send(submission)
    return submission


def review_practice(
    submission: PracticeSubmission, by: Person, passed: bool, comment: str = ""
) -> None:
    """Pass a try (the module completes) or ask for another one with a comment."""
    comment = comment.strip()
    if not passed and not comment:
        refuse("comment", _("Tell the trainee what to change before the next try."))
    if len(comment) > MAX_REVIEW_COMMENT_CHARS:
        refuse("comment", too_long(MAX_REVIEW_COMMENT_CHARS))
    if submission.enrolment.status == "withdrawn":
        raise Conflict(_("This trainee's place has ended."))
    # Claim the review: two reviewers (or a double click) cannot both decide.
    decision = {"decision": "passed" if passed else "retry", "comment": comment,
                "reviewed_by_id": by.id, "reviewed_at": utcnow()}  # fmt: skip
    if not claim(submission, {"decision": None}, decision):
        raise Conflict(_("This try was already reviewed. Reload the page to see the decision."))
    signals.practice_reviewed.send(submission, passed=passed)
    if passed:
        _record_completion(submission.enrolment, submission.module, by, "practice")


def complete_module(enrolment: Enrolment, module: CurriculumModule, by: Person) -> ModuleCompletion:
    """Mark a module without a practice task as completed for this trainee."""
    _require_open_module(enrolment, module)
    if module.has_practice:
        raise Conflict(_("This module is completed when its practice task passes review."))
    return _record_completion(enrolment, module, by, "manual")


def _record_completion(
    enrolment: Enrolment, module: CurriculumModule, by: Person, how: str
) -> ModuleCompletion:
    """Freeze the module as it is now on the completion, grant its skills, graduate if done."""
    completion = ModuleCompletion(
        enrolment_id=enrolment.id,
        module_id=module.id,
        module_version=module.version,
        module_title=module.title,
        skills=list(module.skills),
        how=how,
        recorded_by_id=by.id,
    )
    if not insert_once(completion):  # completed at the same moment by another request
        raise Conflict(_("This module is already completed."))
    grant_skills(enrolment.person_id, module.skills)
    db.session.flush()
    signals.module_completed.send(completion, enrolment=enrolment)
    graduate_if_done(enrolment)
    return completion


def grant_skills(person_id: int, codes: list[str]) -> None:
    """Give a person skills from training; a skill they already hold from training (granted by
    another module, or meanwhile by another request) stays once, by its unique key."""
    for code in sorted(set(codes)):
        insert_once(PersonSkill(person_id=person_id, skill=code, source="training"))
    db.session.flush()


def new_certificate_code() -> str:
    """Four groups of four characters, e.g. ``K7QM-2XRD-WP9A-HT4N``."""
    return "-".join(_certificate_group() for _ in range(4))


def _certificate_group() -> str:
    return "".join(secrets.choice(CERTIFICATE_ALPHABET) for _ in range(4))


def graduate_if_done(enrolment: Enrolment) -> bool:
    """Complete the enrolment, with a certificate, once every current module is completed."""
    if enrolment.status != "active":
        return False
    required = set(
        db.session.scalars(
            sa.select(CurriculumModule.id).where(
                CurriculumModule.curriculum_id == enrolment.cohort.curriculum_id,
                CurriculumModule.retired_at.is_(None),
            )
        )
    )
    done = set(
        db.session.scalars(
            sa.select(ModuleCompletion.module_id).where(
                ModuleCompletion.enrolment_id == enrolment.id
            )
        )
    )
    if not required or not required <= done:
        return False
    enrolment.status = "completed"
    enrolment.completed_at = utcnow()
    enrolment.certificate_code = new_certificate_code()
    db.session.flush()
    signals.training_completed.send(enrolment)
    return True


def graduate_finished(curriculum_id: int) -> int:
    """After a module is retired, graduate the trainees who have now done everything left."""
    active = db.session.scalars(
        sa.select(Enrolment)
        .join(Cohort, Cohort.id == Enrolment.cohort_id)
        .where(Cohort.curriculum_id == curriculum_id, Enrolment.status == "active")
    ).all()
    return sum(graduate_if_done(enrolment) for enrolment in active)


# Recommendations -----------------------------------------------------------------------------


def recommend(
    enrolment: Enrolment, team: Team | None, by: Person, note: str = ""
) -> Recommendation:
    """Recommend a graduate to a team; the team's directors will see them."""
    if enrolment.status != "completed":
        raise Conflict(_("Only trainees who completed the training can be recommended."))
    if team is None:
        refuse("team_id", _("Choose a team from the list."))
    note = note.strip()
    if len(note) > MAX_RECOMMENDATION_NOTE_CHARS:
        refuse("note", too_long(MAX_RECOMMENDATION_NOTE_CHARS))
    recommendation = Recommendation(
        enrolment_id=enrolment.id, team_id=team.id, note=note, recommended_by_id=by.id
    )
    if not insert_once(recommendation):  # already, or at the same moment by another request
        raise Conflict(_("This graduate is already recommended to %(team)s.", team=team.name))
    signals.graduate_recommended.send(recommendation)
    return recommendation
