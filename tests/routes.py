"""Fill URL rules with real ids so tests can call every route the app has."""

from __future__ import annotations

from dataclasses import dataclass

from werkzeug.routing import Rule


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

    def args_for(self, rule: Rule) -> dict:
        known = {
            "slug": self.slug,
            "membership_id": self.membership_id,
            "invitation_id": self.invitation_id,
            "absence_id": self.absence_id,
            "job_id": self.job_id,
            "assignment_id": self.assignment_id,
            "submission_id": self.submission_id,
        }
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
