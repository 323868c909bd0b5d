from flask import Blueprint

from teamhub.admin import fee_schedules, health, organisations

bp = Blueprint("admin", __name__, url_prefix="/admin")
# Outside /admin and open to anyone: what a monitor or a load balancer asks.
probe_bp = Blueprint("probe", __name__)
probe_bp.add_url_rule("/healthz", "healthz", health.probe)

rule = bp.add_url_rule
GET_POST = ["GET", "POST"]
org = "/organisations/<id:organisation_id>"
rule("/organisations", "organisations", organisations.organisations, methods=GET_POST)
rule(org, "organisation", organisations.organisation, methods=GET_POST)
rule(f"{org}/appoint", "appoint", organisations.appoint, methods=["POST"])
rule(
    f"{org}/staff/<id:membership_id>/end",
    "end_appointment",
    organisations.end_appointment,
    methods=["POST"],
)
rule("/fees", "fee_schedules", fee_schedules.fee_schedules)
rule("/fees/<code>", "fee_schedule", fee_schedules.fee_schedule, methods=GET_POST)
rule("/health", "health", health.health)
