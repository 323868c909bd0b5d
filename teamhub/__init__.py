"""teamhub: where regional freelance teams in Japan win, split, deliver and get paid for work."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask

from teamhub import models  # noqa: F401 - every mapped class, before any mapper is configured
from teamhub.config import (
    Defaults,
    load_environment,
    normalise_database_url,
    secret_key_from_instance,
)

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict | None = None) -> Flask:
    """Build the application: defaults → instance/config.py → environment → test overrides."""
    instance_path = os.environ.get("TEAMHUB_INSTANCE_PATH", str(PROJECT_ROOT / "instance"))
    app = Flask(__name__, instance_path=instance_path, instance_relative_config=True)
    configure_settings(app, test_config)
    configure_extensions(app)
    configure_blueprints(app)
    configure_listeners()
    configure_request_hooks(app)
    configure_templates(app)
    configure_errors(app)
    configure_cli(app)
    return app


def configure_settings(app: Flask, test_config: dict | None) -> None:
    app.config.from_object(Defaults)
    app.config.from_pyfile("config.py", silent=True)
    load_environment(app.config)
    if test_config:
        app.config.update(test_config)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        path = Path(app.instance_path) / "teamhub.sqlite"
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{path}"
    app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(
        app.config["SQLALCHEMY_DATABASE_URI"]
    )
    if not app.config.get("SECRET_KEY"):
        if app.config["PRODUCTION"]:
            raise RuntimeError("Set TEAMHUB_SECRET_KEY (or SECRET_KEY in instance/config.py).")
        app.config["SECRET_KEY"] = secret_key_from_instance(Path(app.instance_path))
    if app.config["PRODUCTION"]:
        app.config.update(SESSION_COOKIE_SECURE=True, REMEMBER_COOKIE_SECURE=True)


def configure_extensions(app: Flask) -> None:
    from teamhub import security
    from teamhub.extensions import babel, cache, csrf, db, limiter, login_manager, migrate
    from teamhub.i18n import select_locale, select_timezone

    db.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=str(Path(__file__).parent / "migrations"),
        render_as_batch=True,
        compare_type=True,
    )
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    limiter.init_app(app)
    cache.init_app(app)
    login_manager.init_app(app)
    security.configure(app)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        _configure_sqlite(app)


def _configure_sqlite(app: Flask) -> None:
    import sqlalchemy as sa

    from teamhub.extensions import db

    with app.app_context():

        @sa.event.listens_for(db.engine, "connect")
        def _on_connect(dbapi_connection, _record):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=5000")
            cursor.close()

        @sa.event.listens_for(db.engine, "savepoint")
        def _on_savepoint(connection, _name):
            # Python's sqlite3 begins a transaction only before a write: a SAVEPOINT issued
            # before any would begin one of its own and commit it on its RELEASE, out of the
            # request's transaction (a refused request kept what it had inserted). Begun here,
            # the savepoint stays inside the transaction the request commits or rolls back.
            driver = connection.connection.driver_connection
            if not driver.in_transaction:
                driver.execute("BEGIN")


def configure_blueprints(app: Flask) -> None:
    from teamhub import api, forms
    from teamhub.admin.blueprint import bp as admin_bp
    from teamhub.admin.blueprint import probe_bp
    from teamhub.assignments.blueprint import bp as assignments_bp
    from teamhub.auth.blueprint import bp as auth_bp
    from teamhub.jobs.blueprint import bp as jobs_bp
    from teamhub.main import bp as main_bp
    from teamhub.notifications.blueprint import bp as notifications_bp
    from teamhub.payouts.blueprint import bp as payouts_bp
    from teamhub.scheduler.blueprint import bp as scheduler_bp
    from teamhub.teams.blueprint import bp as teams_bp
    from teamhub.training.blueprint import bp as training_bp

    app.url_map.converters["id"] = forms.IdConverter
    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(teams_bp)
    app.register_blueprint(jobs_bp)
    app.register_blueprint(assignments_bp)
    app.register_blueprint(payouts_bp)
    app.register_blueprint(training_bp)
    app.register_blueprint(notifications_bp)
    app.register_blueprint(scheduler_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(probe_bp)
    api.install(app)


def configure_listeners() -> None:
    from teamhub.notifications import listeners

    listeners.connect()


def configure_request_hooks(app: Flask) -> None:
    from teamhub.extensions import db

    @app.after_request
    def _commit_or_rollback(response):
        """One transaction per request: commit what succeeded, drop what did not."""
        if response.status_code < 400:
            db.session.commit()
        else:
            db.session.rollback()
        return response


def configure_templates(app: Flask) -> None:
    from teamhub import forms, i18n, sections

    i18n.register_filters(app)
    forms.register_template_helpers(app)
    app.jinja_env.globals["shown_key"] = sections.shown_key


def configure_errors(app: Flask) -> None:
    from teamhub.error_pages import register

    register(app)


def configure_cli(app: Flask) -> None:
    from teamhub.cli import register

    register(app)
