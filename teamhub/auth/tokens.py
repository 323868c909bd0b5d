"""Personal access tokens: a person's key to the JSON API, acting as them and nothing more.

The secret is shown once, when the token is made; only its SHA-256 is stored (a random
256-bit secret needs no slow hash). A token is read-only or read and write, lives at most a
year, and is refused from the moment it is revoked.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from teamhub.auth.models import Person
from teamhub.clock import UTCDateTime, utcnow
from teamhub.errors import Invalid, NotFound
from teamhub.extensions import db
from teamhub.labels import register

SCOPE_LABELS = register("token_scope", {"read": _l("Read only"), "write": _l("Read and write")})
SCOPES = tuple(SCOPE_LABELS)
MAX_DAYS = 365
# Every secret starts so: a leaked one is recognisable (secret scanners, logs).
PREFIX = "thp_"
# Last use is written at most this often per token, not on every request.
LAST_USED_GRANULARITY = timedelta(minutes=1)


class ApiToken(db.Model):
    __tablename__ = "api_token"
    __table_args__ = (
        sa.CheckConstraint("scope IN ('read', 'write')", name="scope_known"),
        sa.CheckConstraint("expires_at > created_at", name="expires_after_creation"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(80))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    scope: Mapped[str] = mapped_column(sa.String(10), default="read")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    person = relationship("Person")

    @property
    def can_write(self) -> bool:
        return self.scope == "write"

    def is_live(self, now: datetime) -> bool:
        return self.revoked_at is None and now < self.expires_at


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # shown once, never stored


def create_token(person: Person, name: str, scope: str, days: int) -> NewToken:
    """Make a token for ``person``; its secret is returned once and only its hash kept."""
    name = name.strip()
    reasons = {}
    if not name or len(name) > 80:
        reasons["name"] = _("Name the token (at most 80 characters), for example 'spreadsheet'.")
    if scope not in SCOPES:
        reasons["scope"] = _("Choose read only, or read and write.")
    if not 1 <= days <= MAX_DAYS:
        reasons["expires_in_days"] = _("A token lives at most a year (365 days).")
    if reasons:
        raise Invalid(_("Please correct the marked fields."), reasons)
    secret = PREFIX + secrets.token_urlsafe(32)
    now = utcnow()
    token = ApiToken(
        person_id=person.id,
        name=name,
        scope=scope,
        token_hash=hash_secret(secret),
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    db.session.add(token)
    db.session.flush()
    return NewToken(token, secret)


def tokens_of(person: Person) -> list[ApiToken]:
    """The person's tokens, newest first (revoked and expired ones too, marked so)."""
    return list(
        db.session.scalars(
            sa.select(ApiToken)
            .where(ApiToken.person_id == person.id)
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        )
    )


def revoke_token(person: Person, token_id: int) -> None:
    """Revoke one of the person's own tokens: refused from the next request on."""
    token = db.session.get(ApiToken, token_id)
    if token is None or token.person_id != person.id:
        raise NotFound(_("This token does not exist or is not yours."))
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        db.session.flush()


# The live token of a secret with its person; every API request runs it.
LIVE_TOKEN = (
    sa.select(ApiToken, Person)
    .join(Person, Person.id == ApiToken.person_id)
    .where(
        ApiToken.token_hash == sa.bindparam("token_hash"),
        ApiToken.revoked_at.is_(None),
        ApiToken.expires_at > sa.bindparam("now"),
    )
)


def authenticate(secret: str) -> tuple[ApiToken, Person] | None:
    """The live token of ``secret`` and its person, or None (unknown, revoked or expired).
    Its last use is written when it is older than a minute."""
    if not secret:
        return None
    now = utcnow()
    row = db.session.execute(LIVE_TOKEN, {"token_hash": hash_secret(secret), "now": now}).first()
    if row is None:
        return None
    token, person = row
    if token.last_used_at is None or token.last_used_at < now - LAST_USED_GRANULARITY:
        token.last_used_at = now
    return token, person
