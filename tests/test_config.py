"""Configuration: defaults → instance/config.py → environment → test overrides."""

from __future__ import annotations

from teamhub import create_app
from teamhub.config import normalise_database_url


def test_precedence(tmp_path, monkeypatch):
    (tmp_path / "config.py").write_text(
        "LOGIN_RATE_LIMIT = '3 per minute'\nINVITATION_TTL_DAYS = 3\n"
    )
    monkeypatch.setenv("TEAMHUB_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("TEAMHUB_SECRET_KEY", "from-the-environment")
    app = create_app({"INVITATION_TTL_DAYS": 5})
    assert app.config["LOGIN_RATE_LIMIT"] == "3 per minute"
    assert app.config["SECRET_KEY"] == "from-the-environment"
    assert app.config["INVITATION_TTL_DAYS"] == 5
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'teamhub.sqlite'}"
    assert app.config["BABEL_DEFAULT_LOCALE"] == "ja"


def test_secret_key_is_made_once_in_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("TEAMHUB_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("TEAMHUB_SECRET_KEY", raising=False)
    first = create_app().config["SECRET_KEY"]
    assert len(first) >= 32
    assert create_app().config["SECRET_KEY"] == first


def test_postgres_urls_use_psycopg3(tmp_path, monkeypatch):
    assert normalise_database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_database_url("sqlite:///x") == "sqlite:///x"
