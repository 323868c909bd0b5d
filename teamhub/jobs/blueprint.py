from flask import Blueprint

from teamhub.jobs import views

bp = Blueprint("jobs", __name__, url_prefix="/teams/<slug>/jobs")

rule = bp.add_url_rule
rule("", view_func=views.job_list)
rule("/new", view_func=views.new_job, methods=["GET", "POST"])
rule("/<int:job_id>", view_func=views.job_board)
rule("/<int:job_id>/edit", view_func=views.edit_job, methods=["GET", "POST"])
rule("/<int:job_id>/escrow", view_func=views.confirm_escrow, methods=["POST"])
rule("/<int:job_id>/acknowledge", view_func=views.acknowledge_flags, methods=["POST"])
rule("/<int:job_id>/cancel", view_func=views.cancel_job, methods=["GET", "POST"])
rule("/<int:job_id>/split", view_func=views.split_job)
rule("/<int:job_id>/split", view_func=views.save_split, methods=["POST"])
