"""The person's own settings, as on their account and email settings pages: the language
teamhub speaks to them in, and which notices also come by email."""

from __future__ import annotations

from flask_babel import gettext as _
from pydantic import BaseModel, Field

from teamhub.api.base import body, bp, operation, person
from teamhub.api.people import Me, me_out
from teamhub.api.schemas import Body, Text, choice
from teamhub.auth.services import set_locale
from teamhub.config import Defaults
from teamhub.errors import Invalid
from teamhub.notifications import queries, services
from teamhub.notifications.kinds import KINDS


class LanguageBody(Body):
    locale: choice(Defaults.LANGUAGES) = Field(description="ja (Japanese) or en (English).")


class EmailChoice(BaseModel):
    kind: str
    label: str = Field(description="Who gets it and when, in the request's language.")
    email: bool = Field(description="Whether it also comes by email (it is always in the inbox).")


class EmailChoices(BaseModel):
    items: list[EmailChoice] = Field(
        description="The kinds of notice the person's roles may bring them."
    )


class EmailChoicesBody(Body):
    email: list[Text] = Field(
        description="The kinds to receive by email; the person's other kinds are not emailed."
    )


@bp.put("/me/language")
@operation(Me, json=LanguageBody, tag="me")
def set_my_language():
    """The language of the person's pages, emails and notices (ja or en)."""
    someone = person()
    set_locale(someone, body().locale)
    return me_out(someone)


def _email_choices() -> EmailChoices:
    choices = queries.email_choices(person())
    return EmailChoices(
        items=[
            EmailChoice(kind=kind, label=str(KINDS[kind].label), email=wanted)
            for kind, wanted in choices.items()
        ]
    )


@bp.get("/me/email-choices")
@operation(EmailChoices, tag="me")
def get_my_email_choices():
    """Which notices also come to the person by email."""
    return _email_choices()


@bp.put("/me/email-choices")
@operation(EmailChoices, json=EmailChoicesBody, tag="me")
def set_my_email_choices():
    """Choose which notices also come by email: the kinds listed; every other kind the person's
    roles bring them only reaches their inbox."""
    asked = body().email
    theirs = set(queries.kinds_for(person()))
    unknown = [kind for kind in asked if kind not in theirs]
    if unknown:
        message = _(
            "Not a kind of notice your roles bring you: %(kinds)s.", kinds=", ".join(unknown)
        )
        raise Invalid(message, {"email": message})
    services.choose_emails(person(), asked)
    return _email_choices()
