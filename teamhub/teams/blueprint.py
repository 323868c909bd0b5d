from flask import Blueprint

from teamhub.teams import views

bp = Blueprint("teams", __name__)

rule = bp.add_url_rule
rule("/teams/new", view_func=views.new_team, methods=["GET", "POST"])
rule("/teams/<slug>", view_func=views.overview)
rule("/teams/<slug>/settings", view_func=views.settings, methods=["GET", "POST"])
rule("/teams/<slug>/members", view_func=views.members)
rule("/teams/<slug>/members/<id:membership_id>/role", view_func=views.change_role, methods=["POST"])
rule(
    "/teams/<slug>/members/<id:membership_id>/remove",
    view_func=views.remove_member,
    methods=["POST"],
)
rule("/teams/<slug>/invitations", view_func=views.invitations, methods=["GET", "POST"])
rule(
    "/teams/<slug>/invitations/<id:invitation_id>/revoke",
    view_func=views.revoke_invitation,
    methods=["POST"],
)
rule("/teams/<slug>/me", view_func=views.my_availability, methods=["GET", "POST"])
rule("/teams/<slug>/me/absences", view_func=views.add_absence, methods=["POST"])
rule(
    "/teams/<slug>/me/absences/<id:absence_id>/delete",
    view_func=views.delete_absence,
    methods=["POST"],
)
rule("/teams/<slug>/me/profile", view_func=views.my_profile, methods=["POST"])
rule("/invite/<token>", view_func=views.invitation, methods=["GET", "POST"])
rule("/invite/<token>/signup", view_func=views.invitation_signup, methods=["GET", "POST"])
