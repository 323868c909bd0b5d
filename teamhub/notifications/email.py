"""Email over SMTP: settings, the message in the recipient's language, and the outbox with retries.

Pages and jobs only queue an :class:`EmailDelivery`; the scheduler's ``deliver_email`` job sends
it. A failed send is tried again later (backing off), so SMTP trouble never blocks anyone.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from urllib.parse import parse_qs, unquote, urlsplit

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from teamhub.extensions import db
from teamhub.notifications.kinds import body_of, subject_of
from teamhub.notifications.links import path_for
from teamhub.notifications.models import EmailDelivery, Notification

MAX_ATTEMPTS = 6
FIRST_RETRY = timedelta(minutes=5)
LONGEST_WAIT = timedelta(hours=6)
# A reminder older than this is no longer worth an email (the inbox still has it).
STALE_AFTER = timedelta(days=3)
BATCH = 50


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int = 25
    user: str = ""
    password: str = ""
    tls: str = "none"  # "none", "starttls" or "ssl"
    timeout: float = 10.0


def smtp_settings(config) -> SmtpSettings | None:
    """Read ``SMTP_URL`` (smtp://user:pass@host:port?tls=starttls) or the separate settings."""
    url = config.get("SMTP_URL")
    if url:
        parts = urlsplit(url)
        query = parse_qs(parts.query)
        tls = query.get("tls", ["ssl" if parts.scheme == "smtps" else "none"])[0]
        return SmtpSettings(
            host=parts.hostname or "localhost",
            port=parts.port or (465 if tls == "ssl" else 25),
            user=unquote(parts.username or ""),
            password=unquote(parts.password or ""),
            tls=tls,
            timeout=float(config.get("SMTP_TIMEOUT", 10)),
        )
    if not config.get("SMTP_HOST"):
        return None
    return SmtpSettings(
        host=config["SMTP_HOST"],
        port=int(config.get("SMTP_PORT") or 25),
        user=config.get("SMTP_USER") or "",
        password=config.get("SMTP_PASSWORD") or "",
        tls=config.get("SMTP_TLS") or "none",
        timeout=float(config.get("SMTP_TIMEOUT", 10)),
    )


def absolute(path: str) -> str:
    return current_app.config["BASE_URL"].rstrip("/") + path


def build_message(notification: Notification) -> EmailMessage:
    """The email for a notification, plain and short, in the recipient's language."""
    person = notification.person
    locale = person.locale if person.locale in current_app.config["LANGUAGES"] else "ja"
    with force_locale(locale):
        subject = subject_of(notification.kind, notification.params)
        lines = [
            _("Hello %(name)s,", name=person.display_name),
            "",
            body_of(notification.kind, notification.params),
            "",
        ]
        if notification.link:
            lines += [absolute(notification.link), ""]
        lines += [
            "-- ",
            _(
                "teamhub. Choose which emails you receive: %(url)s",
                url=absolute(path_for("notifications.preferences")),
            ),
        ]
    message = EmailMessage()
    message["Subject"] = f"[teamhub] {subject}"
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = person.email
    message["Message-ID"] = make_msgid(domain="teamhub")
    message["Date"] = format_datetime(notification.created_at)
    message["Auto-Submitted"] = "auto-generated"  # no out-of-office replies to a robot
    message.set_content("\n".join(lines))
    return message


def send(settings: SmtpSettings, message: EmailMessage) -> None:
    if settings.tls == "ssl":
        context = ssl.create_default_context()
        client = smtplib.SMTP_SSL(
            settings.host, settings.port, timeout=settings.timeout, context=context
        )
    else:
        client = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    with client:
        if settings.tls == "starttls":
            client.starttls(context=ssl.create_default_context())
        if settings.user:
            client.login(settings.user, settings.password)
        client.send_message(message)


def retry_after(attempts: int) -> timedelta:
    return min(FIRST_RETRY * (2 ** (attempts - 1)), LONGEST_WAIT)


def _due(now: datetime) -> list[EmailDelivery]:
    return list(
        db.session.scalars(
            sa.select(EmailDelivery)
            .where(EmailDelivery.status == "pending", EmailDelivery.next_attempt_at <= now)
            .order_by(EmailDelivery.next_attempt_at, EmailDelivery.id)
            .limit(BATCH)
        )
    )


def _attempt(delivery: EmailDelivery, settings: SmtpSettings, now: datetime) -> str:
    if now - delivery.created_at > STALE_AFTER:
        delivery.status = "expired"
        return "expired"
    delivery.attempts += 1
    try:
        send(settings, build_message(delivery.notification))
    except (OSError, smtplib.SMTPException) as error:
        delivery.last_error = f"{type(error).__name__}: {error}"[:300]
        if delivery.attempts >= MAX_ATTEMPTS:
            delivery.status = "failed"
            return "failed"
        delivery.next_attempt_at = now + retry_after(delivery.attempts)
        return "retry"
    delivery.status = "sent"
    delivery.sent_at = now
    delivery.last_error = ""
    return "sent"


def deliver_outbox(now: datetime) -> dict[str, int]:
    """Send the emails that are due; commit after each so a crash never sends one twice."""
    settings = smtp_settings(current_app.config)
    if settings is None:
        return {"not_configured": 1}
    tally: dict[str, int] = {}
    for delivery in _due(now):
        outcome = _attempt(delivery, settings, now)
        tally[outcome] = tally.get(outcome, 0) + 1
        db.session.commit()
    return tally
