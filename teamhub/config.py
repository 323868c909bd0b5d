"""Settings with safe defaults.

Order of precedence: these defaults → ``instance/config.py`` → ``TEAMHUB_*`` environment
variables → the ``test_config`` passed to :func:`teamhub.create_app`.
Secrets are never committed: the secret key comes from the instance folder or the environment.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

ENV_PREFIX = "TEAMHUB_"

# Environment variable → Flask config key.
ENV_KEYS = {
    "DATABASE_URL": "SQLALCHEMY_DATABASE_URI",
    "SECRET_KEY": "SECRET_KEY",
    "REDIS_URL": "RATELIMIT_STORAGE_URI",
    "PRODUCTION": "PRODUCTION",
    "PASSWORD_HASH_METHOD": "PASSWORD_HASH_METHOD",
    "SERVER_NAME": "SERVER_NAME",
    "BEHIND_PROXY": "BEHIND_PROXY",
    "BASE_URL": "BASE_URL",
    "SMTP_URL": "SMTP_URL",
    "SMTP_HOST": "SMTP_HOST",
    "SMTP_PORT": "SMTP_PORT",
    "SMTP_USER": "SMTP_USER",
    "SMTP_PASSWORD": "SMTP_PASSWORD",
    "SMTP_TLS": "SMTP_TLS",
    "MAIL_FROM": "MAIL_FROM",
    "SCHEDULER_LEASE_SECONDS": "SCHEDULER_LEASE_SECONDS",
}


class Defaults:
    """Development defaults: embedded SQLite in the instance folder, Japanese UI."""

    PRODUCTION = False
    BEHIND_PROXY = False
    SQLALCHEMY_DATABASE_URI: str | None = None  # filled in from the instance path
    # A pooled connection is checked before use, so one the server closed is replaced.
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    BABEL_DEFAULT_LOCALE = "ja"
    BABEL_DEFAULT_TIMEZONE = "Asia/Tokyo"
    LANGUAGES = ("ja", "en")
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    PERMANENT_SESSION_LIFETIME = 60 * 60 * 24 * 14
    MAX_CONTENT_LENGTH = 11 * 1024 * 1024
    PASSWORD_HASH_METHOD = "scrypt"  # noqa: S105 - a hash method name, not a secret
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    # Sections of pages kept by what they show (Flask-Caching), in each worker's memory.
    CACHE_TYPE = "SimpleCache"
    LOGIN_RATE_LIMIT = "10 per minute;50 per hour"
    # Requests each API token may make (Flask-Limiter; counted in Redis when configured).
    API_RATE_LIMIT = "120 per minute;3000 per hour"
    INVITATION_TTL_DAYS = 7
    # Where emails point their links; the address people open the app at.
    BASE_URL = "http://127.0.0.1:5000"
    # Email: SMTP_URL (smtp://user:pass@host:587?tls=starttls) or the separate settings.
    # Without either, emails stay in the outbox and the inbox still works.
    SMTP_URL: str | None = None
    SMTP_HOST: str | None = None
    SMTP_PORT = 25
    SMTP_USER = ""
    SMTP_PASSWORD = ""
    SMTP_TLS = "none"  # "none", "starttls" or "ssl"
    SMTP_TIMEOUT = 10
    MAIL_FROM = "teamhub <no-reply@teamhub.example>"
    # The scheduler leader renews its lease; another process takes over when it lapses.
    SCHEDULER_LEASE_SECONDS = 30


def load_environment(config: dict) -> None:
    """Copy ``TEAMHUB_*`` environment variables over the current settings."""
    for env_name, key in ENV_KEYS.items():
        value = os.environ.get(ENV_PREFIX + env_name)
        if value is None:
            continue
        if key in ("PRODUCTION", "BEHIND_PROXY"):
            config[key] = value.lower() in {"1", "true", "yes"}
        else:
            config[key] = value


def secret_key_from_instance(instance_path: Path) -> str:
    """Return the instance's secret key, creating it once on first run."""
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def normalise_database_url(url: str) -> str:
    """Let ``postgresql://`` URLs use psycopg 3, the driver teamhub ships with."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url
