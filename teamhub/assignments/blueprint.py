from flask import Blueprint

from teamhub.assignments import views

bp = Blueprint("assignments", __name__, url_prefix="/teams/<slug>")

rule = bp.add_url_rule
rule("/reviews", view_func=views.review_queue)
rule("/assignments/<id:assignment_id>", view_func=views.detail)
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
        f"/assignments/<id:assignment_id>/{action}",
        endpoint=action.replace("-", "_"),
        view_func=getattr(views, action.replace("-", "_")),
        methods=["POST"],
    )
rule(
    "/assignments/<id:assignment_id>/submissions/<id:submission_id>/file",
    view_func=views.download,
)
