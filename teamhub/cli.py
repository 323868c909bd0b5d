"""Flask commands: ``flask --app teamhub demo | create-operator | scheduler | db …``."""

from __future__ import annotations

import gc
import logging
import threading

import click
import sqlalchemy as sa
from flask import Flask, current_app
from flask.cli import with_appcontext

from teamhub.auth.models import Person
from teamhub.auth.services import find_person_by_email, sign_up
from teamhub.clock import JST, utcnow
from teamhub.demo import DEMO_PASSWORD, load_demo
from teamhub.errors import Invalid
from teamhub.extensions import db
from teamhub.scheduler import process, registry


def register(app: Flask) -> None:
    app.cli.add_command(demo_command)
    app.cli.add_command(create_operator_command)
    app.cli.add_command(scheduler_command)


@click.command("demo")
@click.option("--if-empty", is_flag=True, help="Load only when the database has no people yet.")
@with_appcontext
def demo_command(if_empty: bool) -> None:
    """Load demo teams and people (the Amami writers and a small Ashikaga team)."""
    if if_empty and db.session.scalar(sa.select(sa.func.count(Person.id))):
        click.echo("The database already has people; demo data not loaded.")
        return
    logins = load_demo()
    db.session.commit()
    click.echo(f"Demo data loaded. Log in with any of these (password: {DEMO_PASSWORD}):")
    for role, email in logins:
        click.echo(f"  {role:<28} {email}")


@click.command("create-operator")
@click.option("--email", prompt=True)
@click.option("--name", prompt=True)
@click.password_option()
@with_appcontext
def create_operator_command(email: str, name: str, password: str) -> None:
    """Create the instance's operator account (or make an existing person operator)."""
    person = find_person_by_email(email)
    if person is None:
        try:
            person = sign_up(email, name, password)
        except Invalid as error:
            raise click.ClickException(error.message) from error
    person.is_operator = True
    db.session.commit()
    click.echo(f"{person.email} is an operator.")


@click.command("scheduler")
@click.option("--only", multiple=True, help="Run only this job (repeat for several).")
@click.option(
    "--every",
    type=click.IntRange(min=1),
    help="Run every job every N seconds instead of its schedule (testing).",
)
@click.option("--lease-seconds", type=float, help="How long the leader's lease lasts unrenewed.")
@click.option("--list", "list_jobs", is_flag=True, help="List the jobs and their next runs.")
@with_appcontext
def scheduler_command(
    only: tuple[str, ...], every: int | None, lease_seconds: float | None, list_jobs: bool
) -> None:
    """Run the scheduled jobs (reminders, emails, closes). Only the lease holder acts."""
    try:
        jobs = registry.select_jobs(only, every)
    except ValueError as error:
        raise click.ClickException(str(error)) from error
    if list_jobs:
        for job in jobs:
            upcoming = job.next_run_at(utcnow()).astimezone(JST)
            click.echo(f"  {job.name:<18} next {upcoming:%Y-%m-%d %H:%M} JST  {job.label}")
        return
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    stop = threading.Event()
    process.stop_on_signals(stop)
    app = current_app._get_current_object()
    gc.freeze()  # as gunicorn.conf.py does in each web worker
    process.run_scheduler(app, jobs, lease_seconds=lease_seconds, stop=stop)
