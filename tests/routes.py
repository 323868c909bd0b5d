"""Fill URL rules with real ids so tests can call every route the app has."""

from __future__ import annotations

from dataclasses import dataclass

from werkzeug.routing import Rule

# An id that an address may carry but no record has in these tests: the largest the columns hold.
NO_SUCH_ID = 2**31 - 1


@dataclass(frozen=True)
class TeamIds:
    """Ids belonging to one team, used to fill a team route's arguments."""

    slug: str
    membership_id: int
    invitation_id: int
    absence_id: int
    job_id: int = 0
    assignment_id: int = 0
    submission_id: int = 0
    close_id: int = 0
    # A notification of the team's director (routes about one's own records use it).
    notification_id: int = 0
    # An API token of the signed-in person (none made: its routes answer 404).
    token_id: int = NO_SUCH_ID

    def args_for(self, rule: Rule) -> dict:
        known = {
            "slug": self.slug,
            "membership_id": self.membership_id,
            "invitation_id": self.invitation_id,
            "absence_id": self.absence_id,
            "job_id": self.job_id,
            "assignment_id": self.assignment_id,
            "submission_id": self.submission_id,
            "close_id": self.close_id,
        }
        missing = set(rule.arguments) - set(known)
        assert not missing, f"teach tests/routes.py how to fill {missing} for {rule.rule}"
        return {name: known[name] for name in rule.arguments}


def personal_args(rule: Rule, ids: TeamIds) -> dict:
    """Fill the arguments of a route about the signed-in person's own records."""
    known = {"notification_id": ids.notification_id, "token_id": ids.token_id}
    missing = set(rule.arguments) - set(known)
    assert not missing, f"teach tests/routes.py how to fill {missing} for {rule.rule}"
    return {name: known[name] for name in rule.arguments}


def team_rules(app) -> list[Rule]:
    """Every route under /teams/<slug>/…: the ones the isolation matrix must cover."""
    return [r for r in app.url_map.iter_rules() if r.rule.startswith("/teams/<slug>")]


def build(app, rule: Rule, args: dict) -> str:
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **args)


def methods(rule: Rule) -> list[str]:
    return sorted(m for m in rule.methods if m in {"GET", "POST"})


@dataclass(frozen=True)
class TrainingIds:
    """Ids belonging to one organisation's training, used to fill a training route's arguments."""

    org_slug: str = "no-such-org"
    organisation_id: int = NO_SUCH_ID
    membership_id: int = NO_SUCH_ID
    curriculum_id: int = NO_SUCH_ID
    module_id: int = NO_SUCH_ID
    lesson_id: int = NO_SUCH_ID
    cohort_id: int = NO_SUCH_ID
    session_id: int = NO_SUCH_ID
    enrolment_id: int = NO_SUCH_ID
    submission_id: int = NO_SUCH_ID
    application_code: str = "no-such-link"
    certificate_code: str = "NO-SUCH-CODE"

    def args_for(self, rule: Rule) -> dict:
        known = {
            name: getattr(self, name)
            for name in self.__dataclass_fields__
            if name not in ("application_code", "certificate_code")
        }
        certificate = rule.endpoint == "training.certificate"
        known["code"] = self.certificate_code if certificate else self.application_code
        missing = set(rule.arguments) - set(known)
        assert not missing, f"teach tests/routes.py how to fill {missing} for {rule.rule}"
        return {name: known[name] for name in rule.arguments}


def training_rules(app) -> list[Rule]:
    """Every training route that names a record (the isolation matrix covers them)."""
    return [
        r
        for r in app.url_map.iter_rules()
        if r.endpoint.startswith("training.") and r.arguments and "slug" not in r.arguments
    ]
