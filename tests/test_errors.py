"""Unexpected errors answer with a Japanese page and roll back what the request wrote."""

from __future__ import annotations

import sqlalchemy as sa

from teamhub import create_app
from teamhub.auth.models import Person
from teamhub.extensions import db
from tests import factories


def test_a_crash_mid_request_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("TEAMHUB_INSTANCE_PATH", str(tmp_path))
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/e.sqlite",
            "SECRET_KEY": "x",
            "WTF_CSRF_ENABLED": False,
        }
    )

    @app.post("/boom")
    def boom():
        factories.make_person(email="half@example.jp")
        raise RuntimeError("the disk caught fire")

    with app.app_context():
        db.create_all()
    response = app.test_client().post("/boom")
    assert response.status_code == 500
    assert "問題が発生しました" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Person.id))) == 0
        db.engine.dispose()


def test_method_not_allowed_and_too_large(client):
    assert client.get("/logout").status_code == 405
    big = client.post("/login", data={"email": "x" * (12 * 1024 * 1024)})
    assert big.status_code == 413
