"""The reference: a minimal Flask + SQLAlchemy app rendering 50 joined rows through Jinja.

The rows are a team's 50 latest approved assignments with their jobs and members, read through
an index (``ix_assignment_team_state_due``) and three primary keys.

It reads the same database as teamhub, under the same gunicorn settings, so a page's ratio to it
says how much teamhub's own work costs beyond the framework, the driver and the database.
"""

from __future__ import annotations

import os

import sqlalchemy as sa
from flask import Flask, render_template

ROWS = sa.text(
    """
    SELECT a.id, a.state, a.units, a.due_at, j.title, j.unit_name, p.display_name
    FROM assignment a
    JOIN job j ON j.id = a.job_id
    JOIN membership m ON m.id = a.membership_id
    JOIN person p ON p.id = m.person_id
    WHERE a.team_id = :team_id AND a.state = 'approved'
    ORDER BY a.due_at DESC
    LIMIT 50
    """
).columns(due_at=sa.DateTime())  # a datetime on SQLite too (PostgreSQL's driver gives one)


def create_app() -> Flask:
    app = Flask(__name__)
    url = os.environ["TEAMHUB_DATABASE_URL"]
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))

    @app.get("/teams/<int:team_id>/rows")
    def rows(team_id: int):
        with engine.connect() as connection:
            found = connection.execute(ROWS, {"team_id": team_id}).all()
        return render_template("reference.html", rows=found, team_id=team_id)

    return app
