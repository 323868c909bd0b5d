"""What coordinators do to curricula: write them as modules of lessons, reorder, edit, remove.

A module somebody worked on is retired rather than deleted, so recorded progress keeps pointing
at what the trainee did.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _

from teamhub.clock import utcnow
from teamhub.errors import Conflict, Invalid
from teamhub.extensions import db
from teamhub.skills import SKILL_LABELS
from teamhub.training.checks import check_length, raise_if
from teamhub.training.markup import MAX_MARKDOWN_CHARS
from teamhub.training.models import (
    Curriculum,
    CurriculumModule,
    Lesson,
    LessonRead,
    ModuleCompletion,
    Organisation,
    PracticeSubmission,
)
from teamhub.training.progress import graduate_finished

# Curricula -----------------------------------------------------------------------------------


def _check_curriculum(title: str, description: str) -> None:
    reasons: dict[str, str] = {}
    check_length(reasons, "title", title, 120)
    check_length(reasons, "description", description, 5000, required=False)
    raise_if(reasons)


def create_curriculum(org: Organisation, title: str, description: str = "") -> Curriculum:
    """Start an empty curriculum in the organisation."""
    _check_curriculum(title, description)
    curriculum = Curriculum(
        organisation_id=org.id, title=title.strip(), description=description.strip()
    )
    db.session.add(curriculum)
    db.session.flush()
    return curriculum


def update_curriculum(curriculum: Curriculum, title: str, description: str = "") -> None:
    """Rename or describe a curriculum; cohorts running on it keep their history."""
    _check_curriculum(title, description)
    curriculum.title = title.strip()
    curriculum.description = description.strip()
    db.session.flush()


# Modules -------------------------------------------------------------------------------------


@dataclass
class ModuleInput:
    title: str
    summary: str = ""
    practice_task: str = ""
    skills: tuple[str, ...] = ()


def _check_module(data: ModuleInput) -> None:
    reasons: dict[str, str] = {}
    check_length(reasons, "title", data.title, 120)
    check_length(reasons, "summary", data.summary, 2000, required=False)
    check_length(reasons, "practice_task", data.practice_task, 10_000, required=False)
    if any(code not in SKILL_LABELS for code in data.skills):
        reasons["skills"] = _("Choose skills from the list.")
    raise_if(reasons)


def _active_modules(curriculum_id: int) -> list[CurriculumModule]:
    return list(
        db.session.scalars(
            sa.select(CurriculumModule)
            .where(
                CurriculumModule.curriculum_id == curriculum_id,
                CurriculumModule.retired_at.is_(None),
            )
            .order_by(CurriculumModule.position, CurriculumModule.id)
        )
    )


def _renumber(curriculum_id: int) -> None:
    for position, module in enumerate(_active_modules(curriculum_id), start=1):
        module.position = position
    db.session.flush()


def add_module(curriculum: Curriculum, data: ModuleInput) -> CurriculumModule:
    """Add a module at the end of the curriculum."""
    _check_module(data)
    module = CurriculumModule(
        curriculum_id=curriculum.id,
        position=len(_active_modules(curriculum.id)) + 1,
        title=data.title.strip(),
        summary=data.summary.strip(),
        practice_task=data.practice_task.strip(),
        skills=sorted(set(data.skills)),
    )
    db.session.add(module)
    db.session.flush()
    return module


def update_module(module: CurriculumModule, data: ModuleInput) -> None:
    """Edit a module; its version grows so recorded progress keeps pointing at the old one."""
    if module.retired_at is not None:
        raise Conflict(_("This module was removed from the curriculum and cannot be edited."))
    _check_module(data)
    new = (data.title.strip(), data.summary.strip(), data.practice_task.strip())
    skills = sorted(set(data.skills))
    if new != (module.title, module.summary, module.practice_task) or skills != module.skills:
        module.title, module.summary, module.practice_task = new
        module.skills = skills
        module.version += 1
    db.session.flush()


def move_module(module: CurriculumModule, direction: str) -> bool:
    """Swap a module with its neighbour; return False when it is already at that end."""
    if direction not in ("up", "down"):
        raise Invalid(_("Choose up or down."))
    modules = _active_modules(module.curriculum_id)
    if module not in modules:
        raise Conflict(_("This module was removed from the curriculum and cannot be moved."))
    index = modules.index(module)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(modules):
        return False
    modules[index], modules[other] = modules[other], modules[index]
    for position, each in enumerate(modules, start=1):
        each.position = position
    db.session.flush()
    return True


def _has_history(module: CurriculumModule) -> bool:
    return any(
        db.session.scalar(sa.select(model.id).where(model.module_id == module.id).limit(1))
        for model in (ModuleCompletion, PracticeSubmission)
    )


def _delete_module(module: CurriculumModule) -> None:
    lesson_ids = [lesson.id for lesson in module.lessons]
    if lesson_ids:
        db.session.execute(sa.delete(LessonRead).where(LessonRead.lesson_id.in_(lesson_ids)))
        db.session.execute(sa.delete(Lesson).where(Lesson.id.in_(lesson_ids)))
    db.session.delete(module)


def remove_module(module: CurriculumModule) -> str:
    """Delete a module nobody has worked on, or retire it so recorded progress stays; the
    trainees who have now done every module left graduate.

    Returns "deleted" or "retired".
    """
    if module.retired_at is not None:
        return "retired"
    if _has_history(module):
        module.retired_at = utcnow()
        outcome = "retired"
    else:
        _delete_module(module)
        outcome = "deleted"
    db.session.flush()
    _renumber(module.curriculum_id)
    graduate_finished(module.curriculum_id)
    return outcome


# Lessons -------------------------------------------------------------------------------------


def _check_lesson(title: str, body: str) -> None:
    reasons: dict[str, str] = {}
    check_length(reasons, "title", title, 120)
    check_length(reasons, "body", body, MAX_MARKDOWN_CHARS, required=False)
    raise_if(reasons)


def add_lesson(module: CurriculumModule, title: str, body: str = "") -> Lesson:
    """Add a lesson (Markdown) at the end of the module."""
    if module.retired_at is not None:
        raise Conflict(_("This module was removed from the curriculum."))
    _check_lesson(title, body)
    last = db.session.scalar(
        sa.select(sa.func.max(Lesson.position)).where(Lesson.module_id == module.id)
    )
    lesson = Lesson(module_id=module.id, position=(last or 0) + 1, title=title.strip(), body=body)
    db.session.add(lesson)
    db.session.flush()
    return lesson


def update_lesson(lesson: Lesson, title: str, body: str = "") -> None:
    """Change a lesson's title or text."""
    _check_lesson(title, body)
    lesson.title = title.strip()
    lesson.body = body
    db.session.flush()


def delete_lesson(lesson: Lesson) -> None:
    """Delete a lesson and the marks of who read it."""
    db.session.execute(sa.delete(LessonRead).where(LessonRead.lesson_id == lesson.id))
    db.session.delete(lesson)
    db.session.flush()
