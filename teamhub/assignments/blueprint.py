from flask import Blueprint

from teamhub.assignments import views

bp = Blueprint("assignments", __name__, url_prefix="/teams/<slug>")

rule = bp.add_url_rule
rule("/reviews", view_func=views.review_queue)
rule("/assignments/<int:assignment_id>", view_func=views.detail)
for action in (
    "accept",
    "decline",
    "accept-terms",
    "start",
    "submit",
    "review",
    "cancel",
    "reassign",
):
    rule(
        f"/assignments/<int:assignment_id>/{action}",
        endpoint=action.replace("-", "_"),
        view_func=getattr(views, action.replace("-", "_")),
        methods=["POST"],
    )
rule(
    "/assignments/<int:assignment_id>/submissions/<int:submission_id>/file",
    view_func=views.download,
)
