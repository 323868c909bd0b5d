from flask import Blueprint
from flask_login import current_user

from teamhub.notifications import views

bp = Blueprint("notifications", __name__)

rule = bp.add_url_rule
rule("/notifications", view_func=views.inbox)
rule("/notifications/read-all", view_func=views.read_all, methods=["POST"])
rule("/notifications/<id:notification_id>/read", view_func=views.read, methods=["POST"])
rule("/notifications/settings", view_func=views.preferences, methods=["GET", "POST"])


@bp.app_template_global()
def unread_notifications() -> int:
    """The header's unread count: the signed-in person's, read with them (no query of its own)."""
    if not current_user.is_authenticated:
        return 0
    return current_user.unread_notifications
