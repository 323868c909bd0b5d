from flask import Blueprint

from teamhub.payouts import views

bp = Blueprint("payouts", __name__, url_prefix="/teams/<slug>")

rule = bp.add_url_rule
rule("/payouts", view_func=views.index)
rule("/payouts/preview", view_func=views.preview)
rule("/payouts/confirm", view_func=views.confirm, methods=["POST"])
rule("/payouts/<int:close_id>", view_func=views.close_detail)
rule("/payouts/<int:close_id>/paid", view_func=views.mark_paid, methods=["POST"])
rule("/payouts/<int:close_id>/statements/<int:membership_id>", view_func=views.statement)
rule(
    "/payouts/<int:close_id>/statements/<int:membership_id>/correct",
    view_func=views.correct,
    methods=["POST"],
)
rule("/payouts/<int:close_id>/statements/<int:membership_id>.csv", view_func=views.statement_csv)
rule("/jobs/<int:job_id>/receipt", view_func=views.receipt, methods=["GET", "POST"])
rule("/earnings", view_func=views.earnings)
