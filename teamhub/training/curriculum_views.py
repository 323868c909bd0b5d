"""Coordinators' pages for curricula: write them as modules of lessons, reorder, edit, remove."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from teamhub import submissions
from teamhub.forms import Refusal, render_form
from teamhub.training import curricula, queries
from teamhub.training.access import org_access, org_curriculum, org_lesson, org_module
from teamhub.training.forms import CurriculumForm, LessonForm, ModuleForm, MoveForm
from teamhub.training.markup import render_markdown

# Curricula -----------------------------------------------------------------------------------


@login_required
def new_curriculum(org_slug):
    access = org_access(org_slug, current_user)
    form = CurriculumForm()
    with Refusal(form) as refused:
        if form.validate_on_submit():
            once = submissions.claim(form.submission_key.data, current_user.id)
            if once.earlier:
                return once.earlier
            curriculum = curricula.create_curriculum(
                access.org, form.title.data, form.description.data
            )
            flash(_("The curriculum was created. Now add its modules."), "success")
            return once.answer(redirect(_curriculum_url(org_slug, curriculum.id)))
    return render_form(
        "training/curriculum_form.html", form, refused, access=access, org=access.org
    )


@login_required
def edit_curriculum(org_slug, curriculum_id):
    access = org_access(org_slug, current_user)
    curriculum = org_curriculum(access.org, curriculum_id)
    form = CurriculumForm(obj=curriculum if request.method == "GET" else None)
    with Refusal(form) as refused:
        if form.validate_on_submit():
            curricula.update_curriculum(curriculum, form.title.data, form.description.data)
            flash(_("The curriculum was saved."), "success")
            return redirect(_curriculum_url(org_slug, curriculum.id))
    return render_form(
        "training/curriculum_form.html",
        form,
        refused,
        access=access,
        org=access.org,
        curriculum=curriculum,
    )


def _curriculum_url(org_slug: str, curriculum_id: int, anchor: str = "") -> str:
    return url_for("training.curriculum", org_slug=org_slug, curriculum_id=curriculum_id) + anchor


def _curriculum_page(access, curriculum, refused: Refusal, form: ModuleForm | None = None):
    page = render_template(
        "training/curriculum.html",
        access=access,
        org=access.org,
        curriculum=curriculum,
        modules=curriculum.current_modules,
        retired=[m for m in curriculum.modules if m.retired_at is not None],
        running=queries.cohorts_on(curriculum),
        form=form or ModuleForm(formdata=None),
        error=refused.message,
    )
    return page, refused.status


@login_required
def curriculum(org_slug, curriculum_id):
    access = org_access(org_slug, current_user)
    return _curriculum_page(access, org_curriculum(access.org, curriculum_id), Refusal())


# Modules -------------------------------------------------------------------------------------


def _module_input(form: ModuleForm) -> curricula.ModuleInput:
    return curricula.ModuleInput(
        title=form.title.data,
        summary=form.summary.data,
        practice_task=form.practice_task.data,
        skills=tuple(form.skills.data or ()),
    )


@login_required
def add_module(org_slug, curriculum_id):
    access = org_access(org_slug, current_user)
    curriculum = org_curriculum(access.org, curriculum_id)
    form = ModuleForm()
    with Refusal(form) as refused:
        if form.validate_on_submit():
            once = submissions.claim(form.submission_key.data, current_user.id)
            if once.earlier:
                return once.earlier
            module = curricula.add_module(curriculum, _module_input(form))
            flash(_("The module was added. Now write its lessons."), "success")
            return once.answer(
                redirect(url_for("training.module", org_slug=org_slug, module_id=module.id))
            )
    return _curriculum_page(access, curriculum, refused, form=form)


@login_required
def move_module(org_slug, module_id):
    access = org_access(org_slug, current_user)
    module = org_module(access.org, module_id)
    with Refusal() as refused:
        curricula.move_module(module, MoveForm().direction.data)
        return redirect(_curriculum_url(org_slug, module.curriculum_id, f"#module-{module.id}"))
    return _curriculum_page(access, module.curriculum, refused)


@login_required
def remove_module(org_slug, module_id):
    access = org_access(org_slug, current_user)
    module = org_module(access.org, module_id)
    title, curriculum_id = module.title, module.curriculum_id
    if curricula.remove_module(module) == "retired":
        message = _(
            "%(title)s was removed from the curriculum. Trainees who completed it keep it.",
            title=title,
        )
    else:
        message = _("%(title)s was deleted.", title=title)
    flash(message, "success")
    return redirect(_curriculum_url(org_slug, curriculum_id))


def _module_page(access, module, refused: Refusal, form=None, lesson_form=None):
    page = render_template(
        "training/module.html",
        access=access,
        org=access.org,
        module=module,
        form=form or ModuleForm(obj=module, formdata=None),
        lesson_form=lesson_form or LessonForm(formdata=None),
        error=refused.message,
    )
    return page, refused.status


@login_required
def module(org_slug, module_id):
    access = org_access(org_slug, current_user)
    module = org_module(access.org, module_id)
    form = ModuleForm(obj=module if request.method == "GET" else None)
    with Refusal(form) as refused:
        if form.validate_on_submit():
            curricula.update_module(module, _module_input(form))
            flash(_("The module was saved."), "success")
            return redirect(url_for("training.module", org_slug=org_slug, module_id=module.id))
    return _module_page(access, module, refused, form=form)


# Lessons -------------------------------------------------------------------------------------


@login_required
def add_lesson(org_slug, module_id):
    access = org_access(org_slug, current_user)
    module = org_module(access.org, module_id)
    form = LessonForm()
    with Refusal(form) as refused:
        if form.validate_on_submit():
            once = submissions.claim(form.submission_key.data, current_user.id)
            if once.earlier:
                return once.earlier
            curricula.add_lesson(module, form.title.data, form.body.data or "")
            flash(_("The lesson was added."), "success")
            return once.answer(
                redirect(url_for("training.module", org_slug=org_slug, module_id=module.id))
            )
    return _module_page(access, module, refused, lesson_form=form)


@login_required
def lesson(org_slug, lesson_id):
    access = org_access(org_slug, current_user)
    lesson = org_lesson(access.org, lesson_id)
    form = LessonForm(obj=lesson if request.method == "GET" else None)
    with Refusal(form) as refused:
        if form.validate_on_submit():
            curricula.update_lesson(lesson, form.title.data, form.body.data or "")
            flash(_("The lesson was saved."), "success")
            return redirect(url_for("training.lesson", org_slug=org_slug, lesson_id=lesson.id))
    return render_form(
        "training/lesson_form.html",
        form,
        refused,
        access=access,
        org=access.org,
        lesson=lesson,
        preview=render_markdown(lesson.body),
    )


@login_required
def delete_lesson(org_slug, lesson_id):
    access = org_access(org_slug, current_user)
    lesson = org_lesson(access.org, lesson_id)
    module_id = lesson.module_id
    curricula.delete_lesson(lesson)
    flash(_("The lesson was deleted."), "success")
    return redirect(url_for("training.module", org_slug=org_slug, module_id=module_id))
