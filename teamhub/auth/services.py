"""Sign-up, sign-in and account settings."""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from teamhub.auth.models import LoginSession, Person, hash_login_token, new_login_token
from teamhub.auth.passwords import hash_password, password_problem, verify_password
from teamhub.claims import insert_once
from teamhub.clock import utcnow
from teamhub.errors import Invalid, NotAllowed
from teamhub.extensions import db

# A hash to compare against when the email is unknown, so both paths take as long.
_DUMMY_HASH: dict[str, str] = {}


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_person_by_email(email: str) -> Person | None:
    return db.session.scalar(sa.select(Person).where(Person.email == normalise_email(email)))


def email_taken_problem(email: str) -> str | None:
    """Say why ``email`` cannot sign up (an account has it already), or None."""
    return _email_taken() if find_person_by_email(email) is not None else None


def _email_taken() -> str:
    return _("An account with this email address already exists. Please log in.")


def sign_up(email: str, display_name: str, password: str, locale: str = "ja") -> Person:
    """Create a person after checking the email is free and the password acceptable."""
    email = normalise_email(email)
    display_name = display_name.strip()
    problems = {
        "password": password_problem(password, email=email, display_name=display_name),
        "email": email_taken_problem(email),
    }
    problems = {name: message for name, message in problems.items() if message}
    if problems:
        raise Invalid(next(iter(problems.values())), problems)
    person = Person(
        email=email,
        display_name=display_name,
        password_hash=hash_password(password),
        locale=locale if locale in current_app.config["LANGUAGES"] else "ja",
    )
    if not insert_once(person):  # another request signed the address up meanwhile (a double click)
        raise Invalid(_email_taken(), {"email": _email_taken()})
    return person


def authenticate(email: str, password: str) -> Person | None:
    """Return the person whose email and password match, or None."""
    person = find_person_by_email(email)
    if person is None:
        verify_password(_dummy_hash(), password)
        return None
    if not verify_password(person.password_hash, password):
        return None
    person.last_login_at = utcnow()
    return person


def _dummy_hash() -> str:
    method = current_app.config["PASSWORD_HASH_METHOD"]
    if method not in _DUMMY_HASH:
        _DUMMY_HASH[method] = hash_password("not-a-real-password")
    return _DUMMY_HASH[method]


def require_operator(person: Person) -> None:
    """Refuse anyone but the operator of this teamhub instance."""
    if not getattr(person, "is_operator", False):
        raise NotAllowed(_("Only the operator of this teamhub can do this."))


def change_password(person: Person, current_password: str, new_password: str) -> None:
    """Replace the password and end every other session of this person."""
    if not verify_password(person.password_hash, current_password):
        message = _("The current password is not correct.")
        raise Invalid(message, {"current_password": message})
    problem = password_problem(new_password, email=person.email, display_name=person.display_name)
    if problem:
        raise Invalid(problem, {"new_password": problem})
    person.password_hash = hash_password(new_password)
    end_login_sessions(person, keep_token=person.current_login_token)


def set_locale(person: Person, locale: str) -> None:
    """Remember the person's language."""
    if locale not in current_app.config["LANGUAGES"]:
        raise Invalid(_("This language is not available."))
    person.locale = locale


def start_login_session(person: Person, user_agent: str = "") -> str:
    """Open a login session for this browser and return the token for its cookie."""
    token = new_login_token()
    db.session.add(
        LoginSession(person=person, token_hash=hash_login_token(token), user_agent=user_agent[:200])
    )
    db.session.flush()
    person.current_login_token = token
    return token


# The person of a login session still open; every signed-in request runs it.
PERSON_OF_OPEN_LOGIN = (
    sa.select(Person)
    .join(LoginSession, LoginSession.person_id == Person.id)
    .where(LoginSession.token_hash == sa.bindparam("token_hash"), LoginSession.ended_at.is_(None))
)


def person_for_login_token(token: str) -> Person | None:
    """Return the person of a login session still open, or None."""
    if not token:
        return None
    person = db.session.scalar(PERSON_OF_OPEN_LOGIN, {"token_hash": hash_login_token(token)})
    if person is not None:
        person.current_login_token = token
    return person


def end_login_session(token: str | None) -> None:
    """End one login session: its cookie is refused from now on, even if someone kept a copy."""
    if token:
        db.session.execute(
            sa.update(LoginSession)
            .where(
                LoginSession.token_hash == hash_login_token(token), LoginSession.ended_at.is_(None)
            )
            .values(ended_at=utcnow())
        )


def end_login_sessions(person: Person, keep_token: str | None = None) -> None:
    """End every login session of a person, except the one named by ``keep_token``."""
    query = sa.update(LoginSession).where(
        LoginSession.person_id == person.id, LoginSession.ended_at.is_(None)
    )
    if keep_token:
        query = query.where(LoginSession.token_hash != hash_login_token(keep_token))
    db.session.execute(query.values(ended_at=utcnow()))
