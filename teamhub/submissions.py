"""A form that creates something takes effect once, however often it is sent: a double click,
a second try after a slow answer on a weak connection, the back button and 送信 again. An API
call that creates something does too when it carries an ``Idempotency-Key`` (a script's retry
after a timeout): a repeat gets the first call's answer (``api.base.idempotent``).

Each such form carries a key made when its page was shown (``forms.OnceForm``). The first
request with a key claims it (a row whose primary key is the key) in its own transaction and
records where it then sent the person; another request with the same key waits for the first to
finish, finds the key taken and sends the person where the first one did, creating nothing. A
request that failed rolled its claim back with everything else, so the same form can be sent
again. A key names one person's form: another person sending it is refused (409).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import current_app, redirect
from flask_babel import gettext as _
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.wrappers import Response

from teamhub.claims import insert_once
from teamhub.clock import UTCDateTime, utcnow
from teamhub.errors import Conflict
from teamhub.extensions import db

JSON = "application/json"


class FormSubmission(db.Model):
    """A form's key, claimed by the request that acted on it, and where that request went."""

    __tablename__ = "form_submission"

    key: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id"), index=True)
    answer: Mapped[str] = mapped_column(sa.String(500), default="")  # a page's: where it went
    status: Mapped[int] = mapped_column(default=0)  # an API call's: its status and JSON body
    body: Mapped[str] = mapped_column(sa.Text(), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


@dataclass
class Claim:
    """This request's hold on a form's key; ``earlier`` is the first request's answer when
    another request acted on the form already."""

    row: FormSubmission | None
    earlier: Response | None = None

    def answer(self, response: Response) -> Response:
        """Remember this request's answer for a repeat: where a page sends the person, or what
        an API call answered."""
        if self.row is not None:
            if response.is_json:
                self.row.status, self.row.body = response.status_code, response.get_data(True)
            else:
                self.row.answer = response.location or ""
            db.session.flush()
        return response


def claim(key: str | None, person_id: int) -> Claim:
    """Claim a form's key for this request (nothing to claim without a key)."""
    if not key:
        return Claim(None)
    row = FormSubmission(key=key, person_id=person_id)
    if insert_once(row):
        return Claim(row)
    earlier = db.session.get(FormSubmission, key)
    if earlier is None or earlier.person_id != person_id or not (earlier.answer or earlier.body):
        raise Conflict(_("This form was already sent. Reload the page to send it again."))
    if earlier.body:
        replay = current_app.response_class(earlier.body, earlier.status, mimetype=JSON)
        return Claim(None, replay)
    return Claim(None, redirect(earlier.answer))


def forget_sent_before(moment: datetime) -> int:
    """Forget the keys of forms sent before ``moment`` (the scheduler's housekeeping); a page
    kept open that long and sent again acts as a new form. Returns how many were forgotten."""
    return db.session.execute(
        sa.delete(FormSubmission).where(FormSubmission.created_at < moment)
    ).rowcount
