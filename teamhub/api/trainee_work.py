"""A trainee's own work: marking a lesson read and handing in practice work, on the services the
trainee's pages call, reached only through the person's own enrolments
(:func:`teamhub.training.access.my_enrolment`): anyone else's is 404."""

from __future__ import annotations

from pydantic import Field

from teamhub.api.base import ID, body, bp, operation, person
from teamhub.api.forms import filled
from teamhub.api.schemas import Body, Text
from teamhub.api.training import STATE_CONFLICT
from teamhub.api.training_reports import PracticeWorkOut, ProgressOut, practice_out, progress_out
from teamhub.training import progress
from teamhub.training.access import enrolment_module, module_lesson, my_enrolment
from teamhub.training.forms import SubmissionForm

MY_MODULE = f"/training/<{ID}:enrolment_id>/modules/<{ID}:module_id>"


class PracticeBody(Body):
    text: Text = Field("", description="The answer; or leave it empty and give a link.")
    link_url: Text = Field("", description="A link to the work, starting with https://.")


@bp.post(f"{MY_MODULE}/lessons/<{ID}:lesson_id>/read")
@operation(ProgressOut, tag="training", errors=STATE_CONFLICT)
def read_my_lesson(enrolment_id, module_id, lesson_id):
    """Mark one of the module's lessons read; reading it again changes nothing. Answers the
    trainee's progress."""
    enrolment = my_enrolment(person(), enrolment_id)
    module = enrolment_module(enrolment, module_id)
    progress.mark_lesson_read(enrolment, module_lesson(module, lesson_id))
    return progress_out(enrolment)


@bp.post(f"{MY_MODULE}/practice")
@operation(PracticeWorkOut, status=201, json=PracticeBody, tag="training", errors=STATE_CONFLICT)
def submit_my_practice(enrolment_id, module_id):
    """Hand in a try at the module's practice task for a coordinator to review (one waits at a
    time)."""
    enrolment = my_enrolment(person(), enrolment_id)
    module = enrolment_module(enrolment, module_id)
    form = filled(SubmissionForm, body())
    work = progress.submit_practice(enrolment, module, form.text.data or "", form.link_url.data)
    return practice_out(work), 201
