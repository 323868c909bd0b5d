"""Tokens and clients for API tests: real tokens, made by the service, sent as bearer headers."""

from __future__ import annotations

from teamhub.auth import tokens
from teamhub.auth.models import Person
from teamhub.extensions import db


def make_token(app, person_id: int, scope: str = "write", days: int = 30) -> str:
    """A real token of the person, committed; returns its secret."""
    with app.app_context():
        made = tokens.create_token(db.session.get(Person, person_id), "tests", scope, days)
        db.session.commit()
        return made.secret


class Api:
    """A test client that sends one token with every request."""

    def __init__(self, app, secret: str, language: str | None = None):
        self.client = app.test_client()
        self.headers = {"Authorization": f"Bearer {secret}"}
        if language:
            self.headers["Accept-Language"] = language

    def open(self, method: str, path: str, json=None, headers=None, **kwargs):
        sent = {**self.headers, **(headers or {})}
        return self.client.open(f"/api/v1{path}", method=method, json=json, headers=sent, **kwargs)

    def get(self, path, **kwargs):
        return self.open("GET", path, **kwargs)

    def post(self, path, json=None, **kwargs):
        return self.open("POST", path, json=json, **kwargs)

    def put(self, path, json=None, **kwargs):
        return self.open("PUT", path, json=json, **kwargs)

    def delete(self, path, **kwargs):
        return self.open("DELETE", path, **kwargs)


def api_as(app, person_id: int, scope: str = "write", language: str | None = None) -> Api:
    return Api(app, make_token(app, person_id, scope), language)
