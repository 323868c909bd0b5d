from flask import Blueprint

from teamhub.jobs import views

bp = Blueprint("jobs", __name__, url_prefix="/teams/<slug>")

rule = bp.add_url_rule
rule("/my-assignments", view_func=views.my_assignments)
rule("/jobs", view_func=views.job_list)
rule("/jobs/new", view_func=views.new_job, methods=["GET", "POST"])
job = "/jobs/<id:job_id>"
rule(job, view_func=views.job_board)
rule(f"{job}/edit", view_func=views.edit_job, methods=["GET", "POST"])
rule(f"{job}/escrow", view_func=views.confirm_escrow, methods=["POST"])
rule(f"{job}/acknowledge", view_func=views.acknowledge_flags, methods=["POST"])
rule(f"{job}/cancel", view_func=views.cancel_job, methods=["GET", "POST"])
rule(f"{job}/split", view_func=views.split_job)
rule(f"{job}/split", view_func=views.save_split, methods=["POST"])
