from flask import Blueprint

from teamhub.payouts import views

bp = Blueprint("payouts", __name__)

rule = bp.add_url_rule
team = "/teams/<slug>"
close = f"{team}/payouts/<id:close_id>"
statement = f"{close}/statements/<id:membership_id>"
rule(f"{team}/payouts", view_func=views.index)
rule(f"{team}/payouts/preview", view_func=views.preview)
rule(f"{team}/payouts/confirm", view_func=views.confirm, methods=["POST"])
rule(close, view_func=views.close_detail)
rule(f"{close}/paid", view_func=views.mark_paid, methods=["POST"])
rule(statement, view_func=views.statement)
rule(f"{statement}/correct", view_func=views.correct, methods=["POST"])
rule(f"{statement}.csv", view_func=views.statement_csv)
rule(f"{team}/jobs/<id:job_id>/receipt", view_func=views.receipt, methods=["GET", "POST"])
rule(f"{team}/earnings", view_func=views.earnings)
