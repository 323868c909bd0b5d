"""Security headers, HTTPS in production, and no caching of signed-in pages."""

from __future__ import annotations

from flask import Flask, redirect, request
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
SECURITY_HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
# Sent over HTTPS only: browsers then refuse plain HTTP to this host for a year.
STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains"


def _add_security_headers(response):
    """Every answer's headers; a view that sets its own policy (the SVG charts) keeps it."""
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if request.is_secure:
        response.headers["Strict-Transport-Security"] = STRICT_TRANSPORT_SECURITY
    return response


def _require_https():
    """In production, send plain HTTP requests to the same address over HTTPS."""
    if not request.is_secure:
        return redirect(request.url.replace("http://", "https://", 1))
    return None


def _no_store_when_signed_in(response):
    if current_user and current_user.is_authenticated:
        response.headers["Cache-Control"] = "no-store"
        response.headers["Pragma"] = "no-cache"
    return response


def configure(app: Flask) -> None:
    if app.config["BEHIND_PROXY"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)
    if app.config["PRODUCTION"]:
        app.before_request(_require_https)
    app.after_request(_add_security_headers)
    app.after_request(_no_store_when_signed_in)
