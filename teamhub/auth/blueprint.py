from flask import Blueprint

from teamhub.auth import views

bp = Blueprint("auth", __name__)

bp.add_url_rule("/signup", view_func=views.signup, methods=["GET", "POST"])
bp.add_url_rule("/login", view_func=views.login, methods=["GET", "POST"])
bp.add_url_rule("/logout", view_func=views.logout, methods=["POST"])
bp.add_url_rule("/account", view_func=views.account, methods=["GET"])
bp.add_url_rule("/account/password", view_func=views.change_password, methods=["GET", "POST"])
bp.add_url_rule("/account/logout-everywhere", view_func=views.logout_everywhere, methods=["POST"])
bp.add_url_rule("/account/tokens", view_func=views.api_tokens, methods=["GET", "POST"])
bp.add_url_rule(
    "/account/tokens/<id:token_id>/revoke", view_func=views.revoke_api_token, methods=["POST"]
)
