"""The API against its own document: Schemathesis in process (WSGI), every operation, as a
director, a member and a coordinator with real tokens. No answer is a server error, and every
answer conforms to the document (status, headers, body); the document is valid OpenAPI 3.1."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings
from openapi_spec_validator import validate
from schemathesis.specs.openapi.checks import positive_data_acceptance

from teamhub.extensions import db
from tests import factories, training_factories
from tests.api.helpers import make_token

# Examples per operation and role: enough to cross each schema's branches, few enough that the
# whole run stays well under a minute on either database.
EXAMPLES = 6
# A body the schema accepts may still break a rule the schema does not carry (a deadline in the
# past, more units than the job has, the forms' lengths): the API answers 422 with the forms'
# messages, as the document says. So "schema-valid means accepted" is not a property of this API.
EXCLUDED = [positive_data_acceptance]


def test_the_document_is_valid_openapi_3_1(client):
    document = client.get("/api/v1/openapi.json")
    assert document.status_code == 200
    assert document.json["openapi"].startswith("3.1")
    validate(document.json)


def _world(app):
    """A team with every kind of record, an organisation's training with every kind of record
    (its coordinator in no team), and the instance operator."""
    with app.app_context():
        roles, ids = factories.team_with_everything()
        training = training_factories.training_with_everything()
        operator = factories.make_person(is_operator=True)
        db.session.commit()
        return roles, ids, training, operator.id


def test_every_operation_conforms_to_the_document_for_every_role(app):
    roles, ids, training, operator = _world(app)
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    real = {
        "slug": ids.slug,
        "job_id": ids.job_id,
        "assignment_id": ids.assignment_id,
        "close_id": ids.close_id,
        "membership_id": roles.member_membership,
        "notification_id": ids.notification_id,
        "invitation_id": ids.invitation_id,
        "absence_id": ids.absence_id,
        "org_slug": training.ids.org_slug,
        "organisation_id": training.ids.organisation_id,
        "curriculum_id": training.ids.curriculum_id,
        "module_id": training.ids.module_id,
        "lesson_id": training.ids.lesson_id,
        "cohort_id": training.ids.cohort_id,
        "session_id": training.ids.session_id,
        "enrolment_id": training.ids.enrolment_id,
        "submission_id": training.ids.submission_id,
    }
    # The director after the others: their operations may take the member off the team; the
    # operator last, on the operator's operations only (they may move the organisation).
    people = {
        "member": roles.member.id,
        "coordinator": training.coordinator.id,
        "trainee": training.trainee.id,
        "director": roles.director.id,
        "operator": operator,
    }
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 58
    app.config["API_RATE_LIMIT"] = "100000 per minute"
    try:
        for who, person_id in people.items():
            headers = {"Authorization": f"Bearer {make_token(app, person_id)}"}
            for operation in operations:
                if _tried_by(who, operation):
                    _exercise(operation, headers, _ids_for(operation, real, ids), who)
    finally:
        app.config["API_RATE_LIMIT"] = "120 per minute;3000 per hour"


def _ids_for(operation, real: dict, ids) -> dict:
    """The real ids for an operation's address: a team's submission is a handed-in file, an
    organisation's a trainee's practice work."""
    if "/teams/" in operation.path:
        return {**real, "submission_id": ids.submission_id}
    return real


def _tried_by(who: str, operation) -> bool:
    """The trainee tries their own operations and the operator the operator's; the other roles
    try every operation, those on someone else's records."""
    if who == "trainee":
        return "/training" in operation.path
    if who == "operator":
        return "/admin/" in operation.path
    return True


def _exercise(operation, headers: dict, real: dict, who: str) -> None:
    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        if case.path_parameters:
            case.path_parameters = {
                name: real.get(name, value) for name, value in case.path_parameters.items()
            }
        case.call_and_validate(headers=headers, excluded_checks=EXCLUDED)

    try:
        run()
    except Exception as error:
        error.add_note(f"as the {who}: {operation.label}")
        raise
