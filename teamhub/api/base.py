"""The API's blueprint, its OpenAPI document and who a request acts as.

Every operation is a view of the ``api`` blueprint decorated with :func:`operation`: spectree
validates the request against the operation's pydantic models (the same models the document is
generated from) and the answer against its response model. A request acts as the person of its
bearer token, and only through the token: a login cookie never authenticates it.

Why spectree: it decorates plain Flask views of a plain blueprint, so the API keeps teamhub's
app factory, error pages, CSRF, limiter and one-transaction-per-request hooks as they are, and
validates with pydantic v2 (OpenAPI 3.1's JSON Schema). APIFlask replaces the Flask class and
brings marshmallow; flask-smorest brings marshmallow and its own error handling and pagination."""

from __future__ import annotations

import copy
import hashlib
from functools import cache, wraps
from typing import Any

from flask import Blueprint, current_app, g, request
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from pydantic import BaseModel
from spectree import Response, SpecTree
from werkzeug.exceptions import UnsupportedMediaType

from teamhub import submissions
from teamhub.api import problems
from teamhub.auth import tokens
from teamhub.auth.models import Person
from teamhub.error_pages import answer_errors_under
from teamhub.errors import Invalid, NotAllowed, NotFound
from teamhub.extensions import csrf, limiter
from teamhub.forms import MAX_ID

PREFIX = "/api/v1"
# Ids in addresses: the database's integers (a larger one is 404, never an overflow).
ID = f"int(max={MAX_ID})"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
# Answers every operation may give besides its own.
COMMON_ERRORS = (400, 401, 403, 404, 422, 429)

bp = Blueprint("api", __name__, url_prefix=PREFIX)
# operationId → (status, the headers its answer carries), for the document.
_ANSWER_HEADERS: dict[str, tuple[str, dict]] = {}
# operationId → (status, media type) of an answer that is a file, not JSON.
_ANSWER_FILES: dict[str, tuple[str, str]] = {}


def _completed(generated: dict[str, Any]) -> dict[str, Any]:
    """spectree's document, with what spectree does not say itself: errors are
    ``application/problem+json``, and the headers and files some answers carry."""
    document = copy.deepcopy(generated)
    for operations in document["paths"].values():
        for op in operations.values():
            for status, answer in op["responses"].items():
                content = answer.get("content", {})
                if int(status) >= 400 and "application/json" in content:
                    answer["content"] = {problems.MEDIA_TYPE: content["application/json"]}
                declared = _ANSWER_HEADERS.get(op["operationId"])
                if declared and declared[0] == status:
                    answer["headers"] = declared[1]
                a_file = _ANSWER_FILES.get(op["operationId"])
                if a_file and a_file[0] == status:
                    answer["content"] = {a_file[1]: {"schema": {"type": "string"}}}
                if status == "429":
                    answer["headers"] = {"Retry-After": header("Seconds to wait.", "integer")}
    return document


@cache
def document() -> dict[str, Any]:
    """The OpenAPI document, made once: every operation is registered before the first
    request."""
    return _completed(spec.spec)


def header(description: str, kind: str = "string", required: bool = True) -> dict:
    return {"description": description, "required": required, "schema": {"type": kind}}


def _refuse_invalid_input(_req, _resp, error, _instance, _adapter) -> None:
    """spectree's hook before the view: input its schema refused becomes a 422 problem."""
    if error is not None:
        raise problems.invalid_input(error, "body")


spec = SpecTree(
    "flask",
    mode="strict",
    path="apidoc",  # spectree's own pages are not served: the document is api.openapi
    page_templates={},
    annotations=False,
    title="teamhub API",
    version="1.0.0",
    description=(
        "Everything a director, editor, member or coordinator does in teamhub's pages, for their "
        "own scripts. Authenticate with a personal access token (account settings): "
        "`Authorization: Bearer thp_...`. Errors are application/problem+json in the request's "
        "language (Accept-Language; Japanese by default). Lists are paginated by an opaque "
        "cursor: follow `next`. An operation that creates something takes an optional "
        "`Idempotency-Key` header (1 to 255 visible ASCII characters): repeated with the same "
        "key, it answers as the first time and creates nothing again."
    ),
    security_schemes=[
        {"name": "bearerAuth", "data": {"type": "http", "scheme": "bearer", "bearerFormat": "thp_"}}
    ],
    security={"bearerAuth": []},
    naming_strategy=lambda model: model.__name__,
    nested_naming_strategy=lambda _parent, child: child,
    before=_refuse_invalid_input,
    validation_error_status=422,
    validation_error_model=problems.Problem,
)


def operation(
    ok: type[BaseModel] | None = None,
    *,
    status: int = 200,
    query: type[BaseModel] | None = None,
    json: type[BaseModel] | None = None,
    form: type[BaseModel] | None = None,
    tag: str,
    errors: tuple[int, ...] = (),
    headers: dict[str, dict] | None = None,
    media: str | None = None,
):
    """Declare an API operation: its input (a JSON body, or also a multipart ``form`` with
    files), its answer (JSON of ``ok``'s schema, or a file of type ``media``), the errors it
    may give."""
    codes: dict[str, Any] = {f"HTTP_{status}": ok}
    with_body = (415,) if json or form else ()
    for code in (*COMMON_ERRORS, *with_body, *errors):
        codes[f"HTTP_{code}"] = problems.Problem

    def decorate(view):
        validated = spec.validate(
            query=query, json=json, form=form, resp=Response(**codes), tags=[tag],
            operation_id=view.__name__,
        )(view)  # fmt: skip
        if headers:
            _ANSWER_HEADERS[view.__name__] = (str(status), headers)
        if media:
            _ANSWER_FILES[view.__name__] = (str(status), media)
        return validated

    return decorate


def body() -> Any:
    """The request's body as its operation's schema validated it: JSON, or the multipart form
    of an operation that takes files. A form sent to an operation that takes JSON is 415."""
    sent = request.context.json
    if sent is None:
        sent = request.context.form
    if sent is None:
        raise UnsupportedMediaType()
    return sent


def args() -> Any:
    """The query string as its operation's schema validated it."""
    return request.context.query


def person() -> Person:
    """The person the request's token acts as."""
    return g.api_person


IDEMPOTENCY_KEY = "Idempotency-Key"
MAX_IDEMPOTENCY_KEY = 255


def idempotent(view):
    """An operation that creates something, taken once per ``Idempotency-Key``: a call repeated
    with the person's same key (a retry after a timeout, two at once) gets the first call's
    status and body and creates nothing again. Without the header it acts every time."""

    @wraps(view)
    def once(*args, **kwargs):
        sent = request.headers.get(IDEMPOTENCY_KEY, "")
        if not sent:
            return view(*args, **kwargs)
        if len(sent) > MAX_IDEMPOTENCY_KEY or not (sent.isascii() and sent.isprintable()):
            message = _("Send an Idempotency-Key of 1 to 255 visible ASCII characters.")
            raise Invalid(message, {IDEMPOTENCY_KEY: message})
        # One person's key is theirs alone: the stored key is a digest of both.
        key = hashlib.sha256(f"{person().id}:{sent}".encode()).hexdigest()[:32]
        claim = submissions.claim(key, person().id)
        if claim.earlier is not None:
            return claim.earlier
        return claim.answer(view(*args, **kwargs))

    return once


# Requests a token authenticates ----------------------------------------------------------------


def bearer_secret() -> str:
    scheme, _sep, secret = request.headers.get("Authorization", "").partition(" ")
    return secret.strip() if scheme.lower() == "bearer" else ""


def rate_limit_key() -> str:
    """Each token has its own budget (its secret's hash: no database read); a request without
    one counts against its address."""
    secret = bearer_secret()
    if secret:
        return "api-token:" + hashlib.sha256(secret.encode()).hexdigest()
    return "api-address:" + get_remote_address()


def _rate_limit() -> str:
    return current_app.config["API_RATE_LIMIT"]


limiter.limit(_rate_limit, key_func=rate_limit_key)(bp)


@bp.before_request
def _authenticate() -> None:
    if request.endpoint == "api.openapi":
        return
    if any("\x00" in str(value) for value in (request.view_args or {}).values()):
        raise NotFound(_("The page does not exist or you cannot see it."))
    secret = bearer_secret()
    if not secret:
        raise problems.TokenRefused(
            _("Send a personal access token: Authorization: Bearer followed by the token.")
        )
    found = tokens.authenticate(secret)
    if found is None:
        raise problems.TokenRefused(
            _("This token is not valid: it is unknown, revoked or expired.")
        )
    token, g.api_person = found
    if request.method not in SAFE_METHODS and not token.can_write:
        raise NotAllowed(
            _("This token may only read. Make a read and write token to change anything.")
        )


@bp.after_request
def _not_kept(response):
    """Answers are the person's own: never kept by a shared cache."""
    response.headers["Cache-Control"] = "no-store"
    response.headers.setdefault("Vary", "Authorization, Accept-Language")
    return response


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI 3.1 document, generated from the operations' schemas."""
    return current_app.json.response(document())


def install(app) -> None:
    """Attach the API: no CSRF (a token is no ambient credential), a rate limit per token,
    errors as problem+json."""
    csrf.exempt(bp)
    answer_errors_under(PREFIX + "/", problems.answer)
    app.register_blueprint(bp)
