"""Sign-up, login, logout and account settings."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, logout_user

from teamhub.auth import services, tokens
from teamhub.auth.forms import EmptyForm, LoginForm, PasswordForm, SignupForm, TokenForm
from teamhub.auth.sessions import log_in
from teamhub.clock import utcnow
from teamhub.extensions import limiter, login_manager
from teamhub.forms import Refusal, render_form
from teamhub.i18n import select_locale
from teamhub.safety import safe_next_url

login_manager.login_view = "auth.login"
login_manager.login_message = _l("Please log in to see this page.")
login_manager.login_message_category = "info"
login_manager.session_protection = "basic"


@login_manager.user_loader
def _load_person(login_token: str):
    """Accept a login cookie only while its login session has not ended."""
    return services.person_for_login_token(login_token)


@login_manager.unauthorized_handler
def _unauthorized():
    if request.method != "GET":
        abort(401)
    flash(login_manager.login_message, "info")
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def _welcome(going_on: bool) -> str:
    if going_on:  # to the page they came from, which says what to do next
        return _("Your account is ready.")
    return _("Your account is ready. Create a team or open an invitation link.")


def signup():
    """Create an account, then go on where the person was going (``next``, a path of this site)."""
    home = url_for("main.home")
    next_url = safe_next_url(request.values.get("next"), home)
    if current_user.is_authenticated:
        return redirect(next_url)
    form = SignupForm()
    with Refusal(form) as refused:
        if form.validate_on_submit():
            person = services.sign_up(form.email.data, form.display_name.data, form.password.data, select_locale())  # fmt: skip
            log_in(person)
            flash(_welcome(going_on=next_url != home), "success")
            return redirect(next_url)
    return render_form("auth/signup.html", form, refused, next_url=next_url, home=home)


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _login_email_key() -> str:
    return "login-email:" + request.form.get("email", "").strip().lower()


@limiter.limit(_login_limit, methods=["POST"])
@limiter.limit(_login_limit, methods=["POST"], key_func=_login_email_key)
def login():
    next_url = safe_next_url(request.values.get("next"), url_for("main.home"))
    if current_user.is_authenticated:
        return redirect(next_url)
    form = LoginForm()
    if form.validate_on_submit():
        person = services.authenticate(form.email.data, form.password.data)
        if person is not None:
            log_in(person, remember=form.remember.data)
            return redirect(next_url)
        form.form_errors.append(_("The email address or password is not correct."))
    return render_form("auth/login.html", form, next_url=next_url, home=url_for("main.home"))


@login_required
def logout():
    services.end_login_session(current_user.current_login_token)
    logout_user()
    session.clear()
    flash(_("You have logged out."), "info")
    return redirect(url_for("main.home"))


@login_required
def logout_everywhere():
    services.end_login_sessions(current_user)
    logout_user()
    session.clear()
    flash(_("You have logged out on every device."), "info")
    return redirect(url_for("auth.login"))


@login_required
def account():
    return render_template("auth/account.html")


@login_required
def change_password():
    form = PasswordForm(current_user)
    with Refusal(form) as refused:
        if form.validate_on_submit():
            services.change_password(current_user, form.current_password.data, form.new_password.data)  # fmt: skip
            flash(_("Your password has been changed. Other devices were logged out."), "success")
            return redirect(url_for("auth.account"))
    return render_form("auth/password.html", form, refused)


def _tokens_context(new_secret: str = "") -> dict:
    return {"tokens": tokens.tokens_of(current_user), "new_secret": new_secret, "now": utcnow()}


@login_required
def api_tokens():
    """The person's API tokens; a new one's secret is shown in this answer only, never again."""
    form = TokenForm()
    with Refusal(form) as refused:
        if form.validate_on_submit():
            made = tokens.create_token(current_user, form.name.data, form.scope.data, form.expires_in_days.data)  # fmt: skip
            blank = TokenForm(formdata=None)
            return render_template("auth/tokens.html", form=blank, **_tokens_context(made.secret))
    return render_form("auth/tokens.html", form, refused, **_tokens_context())


@login_required
def revoke_api_token(token_id):
    if not EmptyForm().validate_on_submit():
        abort(400)
    tokens.revoke_token(current_user, token_id)
    flash(_("The token was revoked; it no longer works."), "success")
    return redirect(url_for("auth.api_tokens"))
