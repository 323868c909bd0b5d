"""Flask commands: ``flask --app teamhub demo | create-operator | db …``."""

from __future__ import annotations

import click
import sqlalchemy as sa
from flask import Flask
from flask.cli import with_appcontext

from teamhub.extensions import db


def register(app: Flask) -> None:
    app.cli.add_command(demo_command)
    app.cli.add_command(create_operator_command)


@click.command("demo")
@click.option("--if-empty", is_flag=True, help="Load only when the database has no people yet.")
@with_appcontext
def demo_command(if_empty: bool) -> None:
    """Load demo teams and people (the Amami writers and a small Ashikaga team)."""
    from teamhub.auth.models import Person
    from teamhub.demo import DEMO_PASSWORD, load_demo

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
    from teamhub.auth.services import find_person_by_email, sign_up
    from teamhub.errors import Invalid

    person = find_person_by_email(email)
    if person is None:
        try:
            person = sign_up(email, name, password)
        except Invalid as error:
            raise click.ClickException(error.message) from error
    person.is_operator = True
    db.session.commit()
    click.echo(f"{person.email} is an operator.")
