"""Training's curricula as coordinators read and write them on their pages: curricula (the list,
one with its modules and lessons), their modules (add, edit, reorder, remove) and lessons (add, edit, delete), and a cohort's schedule of sessions (add,
remove). The same forms and services as the pages, reached through
:mod:`teamhub.training.access`: mentors 403, another organisation's records 404."""

from __future__ import annotations

from datetime import date, datetime, time

import sqlalchemy as sa
from pydantic import BaseModel, Field
from sqlalchemy.orm import selectinload

from teamhub.api import pagination
from teamhub.api.base import ID, body, bp, idempotent, operation, person
from teamhub.api.forms import filled
from teamhub.api.pagination import LINK_HEADER, Keyset, PageQuery, link_header, next_url
from teamhub.api.schemas import Body, Orm, Text, choice
from teamhub.api.training import COHORT, ORG, STATE_CONFLICT, SessionOut
from teamhub.clock import from_jst
from teamhub.skills import SKILL_LABELS
from teamhub.training import cohorts, curricula
from teamhub.training.access import (
    cohort_access,
    org_access,
    org_curriculum,
    org_lesson,
    org_module,
    org_session,
)
from teamhub.training.forms import CurriculumForm, LessonForm, ModuleForm, MoveForm, SessionForm
from teamhub.training.models import Curriculum, CurriculumModule

CURRICULA = f"{ORG}/curricula"
MODULE = f"{ORG}/modules/<{ID}:module_id>"
LESSON = f"{ORG}/lessons/<{ID}:lesson_id>"


class LessonOut(Orm):
    id: int
    module_id: int
    position: int
    title: str
    body: str = Field(description="Markdown.")


class ModuleOut(Orm):
    id: int
    curriculum_id: int
    position: int
    title: str
    summary: str
    practice_task: str = Field(description="Markdown; empty: a coordinator marks it completed.")
    skills: list[str]
    version: int = Field(description="Grows on every edit.")
    retired_at: datetime | None = Field(description="Removed, kept for those who completed it.")
    lessons: list[LessonOut]


class CurriculumOut(BaseModel):
    id: int
    title: str
    description: str
    modules: list[ModuleOut] = Field(description="The current modules, in order.")


class CurriculumSummary(BaseModel):
    id: int
    title: str
    description: str
    modules: int = Field(description="Its current modules.")
    created_at: datetime


class CurriculumPage(BaseModel):
    items: list[CurriculumSummary]
    next: str | None


class RemovedOut(BaseModel):
    outcome: choice(("deleted", "retired")) = Field(
        description="deleted: nobody had worked on it; retired: completions and work stay."
    )


class CurriculumBody(Body):
    title: Text
    description: Text = ""


class ModuleBody(Body):
    title: Text
    summary: Text = ""
    practice_task: Text = Field("", description="Markdown; leave empty to complete by hand.")
    skills: list[choice(tuple(SKILL_LABELS))] = Field([], max_length=len(SKILL_LABELS))


class MoveBody(Body):
    direction: choice(("up", "down"))


class LessonBody(Body):
    title: Text
    body: Text = Field("", description="Markdown.")


class SessionBody(Body):
    starts_on: date = Field(description="The day, in Japan.")
    starts_time: time = Field(description="The time it starts, in Japan.")
    duration_minutes: int = Field(90, description="1 to 720.")
    topic: Text = ""
    place: Text = Field("", description="The place, the online link, or both.")
    online_url: Text = ""


def curriculum_out(curriculum: Curriculum) -> CurriculumOut:
    return CurriculumOut(
        id=curriculum.id, title=curriculum.title, description=curriculum.description,
        modules=[ModuleOut.model_validate(m) for m in curriculum.current_modules],
    )  # fmt: skip


def _module_input(form: ModuleForm) -> curricula.ModuleInput:
    return curricula.ModuleInput(
        title=form.title.data,
        summary=form.summary.data,
        practice_task=form.practice_task.data,
        skills=tuple(form.skills.data or ()),
    )


def _module_out(module: CurriculumModule) -> ModuleOut:
    return ModuleOut.model_validate(module)


# Curricula -----------------------------------------------------------------------------------

_NEWEST = Keyset([Curriculum.created_at, Curriculum.id], ["datetime", "int"], descending=True)


@bp.get(CURRICULA)
@operation(CurriculumPage, query=PageQuery, tag="training", headers=LINK_HEADER)
def list_curricula(org_slug):
    """The organisation's curricula, the newest first (coordinators and mentors)."""
    access = org_access(org_slug, person(), need="mentor")
    paging = pagination.requested()
    rows, cursor = _NEWEST.page(
        sa.select(Curriculum, Curriculum.created_at, Curriculum.id)
        .where(Curriculum.organisation_id == access.org.id)
        .options(selectinload(Curriculum.modules)),
        paging,
    )
    url = next_url(cursor, paging.limit)
    items = [
        CurriculumSummary(
            id=c.id, title=c.title, description=c.description,
            modules=len(c.current_modules), created_at=c.created_at,
        )
        for c, *_key in rows
    ]  # fmt: skip
    return CurriculumPage(items=items, next=url), 200, link_header(url)


@bp.get(f"{CURRICULA}/<{ID}:curriculum_id>")
@operation(CurriculumOut, tag="training")
def get_curriculum(org_slug, curriculum_id):
    """One curriculum with its current modules, in order, and their lessons (coordinators)."""
    access = org_access(org_slug, person())
    return curriculum_out(org_curriculum(access.org, curriculum_id))


@bp.post(CURRICULA)
@idempotent
@operation(CurriculumOut, status=201, json=CurriculumBody, tag="training")
def create_curriculum(org_slug):
    """Create a curriculum; then add its modules (coordinators)."""
    access = org_access(org_slug, person())
    form = filled(CurriculumForm, body())
    made = curricula.create_curriculum(access.org, form.title.data, form.description.data)
    return curriculum_out(made), 201


@bp.put(f"{CURRICULA}/<{ID}:curriculum_id>")
@operation(CurriculumOut, json=CurriculumBody, tag="training")
def edit_curriculum(org_slug, curriculum_id):
    """Change a curriculum's title or description (coordinators)."""
    access = org_access(org_slug, person())
    curriculum = org_curriculum(access.org, curriculum_id)
    form = filled(CurriculumForm, body())
    curricula.update_curriculum(curriculum, form.title.data, form.description.data)
    return curriculum_out(curriculum)


# Modules -------------------------------------------------------------------------------------


@bp.post(f"{CURRICULA}/<{ID}:curriculum_id>/modules")
@idempotent
@operation(ModuleOut, status=201, json=ModuleBody, tag="training")
def add_module(org_slug, curriculum_id):
    """Add a module at the end of a curriculum (coordinators)."""
    access = org_access(org_slug, person())
    curriculum = org_curriculum(access.org, curriculum_id)
    form = filled(ModuleForm, body())
    return _module_out(curricula.add_module(curriculum, _module_input(form))), 201


@bp.put(MODULE)
@operation(ModuleOut, json=ModuleBody, tag="training", errors=STATE_CONFLICT)
def edit_module(org_slug, module_id):
    """Edit a module; its version grows, and recorded progress keeps the old one
    (coordinators)."""
    access = org_access(org_slug, person())
    module = org_module(access.org, module_id)
    form = filled(ModuleForm, body())
    curricula.update_module(module, _module_input(form))
    return _module_out(module)


@bp.post(f"{MODULE}/move")
@operation(ModuleOut, json=MoveBody, tag="training", errors=STATE_CONFLICT)
def move_module(org_slug, module_id):
    """Swap a module with the one before or after it (coordinators)."""
    access = org_access(org_slug, person())
    module = org_module(access.org, module_id)
    form = filled(MoveForm, body())
    curricula.move_module(module, form.direction.data)
    return _module_out(module)


@bp.delete(MODULE)
@operation(RemovedOut, tag="training")
def remove_module(org_slug, module_id):
    """Delete a module nobody worked on, or retire it so completions and work stay; trainees
    who have now done every module left graduate (coordinators)."""
    access = org_access(org_slug, person())
    return RemovedOut(outcome=curricula.remove_module(org_module(access.org, module_id)))


# Lessons -------------------------------------------------------------------------------------


@bp.post(f"{MODULE}/lessons")
@idempotent
@operation(LessonOut, status=201, json=LessonBody, tag="training", errors=STATE_CONFLICT)
def add_lesson(org_slug, module_id):
    """Add a lesson (Markdown) at the end of a module (coordinators)."""
    access = org_access(org_slug, person())
    module = org_module(access.org, module_id)
    form = filled(LessonForm, body())
    lesson = curricula.add_lesson(module, form.title.data, form.body.data or "")
    return LessonOut.model_validate(lesson), 201


@bp.put(LESSON)
@operation(LessonOut, json=LessonBody, tag="training")
def edit_lesson(org_slug, lesson_id):
    """Change a lesson's title or text (coordinators)."""
    access = org_access(org_slug, person())
    lesson = org_lesson(access.org, lesson_id)
    form = filled(LessonForm, body())
    curricula.update_lesson(lesson, form.title.data, form.body.data or "")
    return LessonOut.model_validate(lesson)


@bp.delete(LESSON)
@operation(status=204, tag="training")
def delete_lesson(org_slug, lesson_id):
    """Delete a lesson and the marks of who read it (coordinators)."""
    access = org_access(org_slug, person())
    curricula.delete_lesson(org_lesson(access.org, lesson_id))
    return "", 204


# Sessions ------------------------------------------------------------------------------------


@bp.post(f"{COHORT}/sessions")
@idempotent
@operation(SessionOut, status=201, json=SessionBody, tag="training")
def add_session(org_slug, cohort_id):
    """Schedule a session of the cohort at a place, online, or both (coordinators)."""
    _access, cohort = cohort_access(org_slug, cohort_id, person())
    form = filled(SessionForm, body())
    session = cohorts.add_session(
        cohort,
        cohorts.SessionInput(
            starts_at=from_jst(form.starts_on.data, form.starts_time.data),
            duration_minutes=form.duration_minutes.data,
            topic=form.topic.data,
            place=form.place.data,
            online_url=form.online_url.data,
        ),
    )
    return SessionOut.model_validate(session), 201


@bp.delete(f"{ORG}/sessions/<{ID}:session_id>")
@operation(status=204, tag="training", errors=STATE_CONFLICT)
def remove_session(org_slug, session_id):
    """Take a session off the schedule, unless attendance was taken (coordinators)."""
    access = org_access(org_slug, person())
    cohorts.remove_session(org_session(access.org, session_id))
    return "", 204
