from flask import Blueprint

from teamhub.scheduler import views

bp = Blueprint("scheduler", __name__)

bp.add_url_rule("/teams/<slug>/scheduled", view_func=views.team_schedule)
