from flask import Blueprint

from teamhub.training import (
    cohort_views,
    curriculum_views,
    enrolment_views,
    org_views,
    outcome_views,
    review_views,
    trainee_views,
)

bp = Blueprint("training", __name__)

rule = bp.add_url_rule
GET_POST = ["GET", "POST"]
POST = ["POST"]

# Coordinators and mentors -------------------------------------------------------------------
org = "/orgs/<org_slug>"
rule(org, view_func=org_views.org_home)
rule(f"{org}/settings", view_func=org_views.org_settings, methods=GET_POST)
rule(f"{org}/curricula/new", view_func=curriculum_views.new_curriculum, methods=GET_POST)
rule(f"{org}/curricula/<id:curriculum_id>", view_func=curriculum_views.curriculum)
rule(
    f"{org}/curricula/<id:curriculum_id>/edit",
    view_func=curriculum_views.edit_curriculum,
    methods=GET_POST,
)
rule(
    f"{org}/curricula/<id:curriculum_id>/modules",
    view_func=curriculum_views.add_module,
    methods=POST,
)
rule(f"{org}/modules/<id:module_id>", view_func=curriculum_views.module, methods=GET_POST)
rule(f"{org}/modules/<id:module_id>/move", view_func=curriculum_views.move_module, methods=POST)
rule(f"{org}/modules/<id:module_id>/remove", view_func=curriculum_views.remove_module, methods=POST)
rule(f"{org}/modules/<id:module_id>/lessons", view_func=curriculum_views.add_lesson, methods=POST)
rule(f"{org}/lessons/<id:lesson_id>", view_func=curriculum_views.lesson, methods=GET_POST)
rule(f"{org}/lessons/<id:lesson_id>/delete", view_func=curriculum_views.delete_lesson, methods=POST)
rule(f"{org}/cohorts/new", view_func=cohort_views.new_cohort, methods=GET_POST)
rule(f"{org}/cohorts/<id:cohort_id>", view_func=cohort_views.cohort)
rule(f"{org}/cohorts/<id:cohort_id>/edit", view_func=cohort_views.edit_cohort, methods=GET_POST)
rule(f"{org}/cohorts/<id:cohort_id>/sessions", view_func=cohort_views.add_session, methods=POST)
rule(f"{org}/cohorts/<id:cohort_id>/enrol", view_func=cohort_views.enrol, methods=POST)
rule(f"{org}/cohorts/<id:cohort_id>/link", view_func=cohort_views.application_link, methods=POST)
rule(f"{org}/cohorts/<id:cohort_id>/outcomes", view_func=outcome_views.cohort_outcomes)
rule(f"{org}/cohorts/<id:cohort_id>/progress.svg", view_func=outcome_views.cohort_progress_chart)
rule(f"{org}/cohorts/<id:cohort_id>/earnings.svg", view_func=outcome_views.cohort_earnings_chart)
rule(
    f"{org}/sessions/<id:session_id>/attendance",
    view_func=cohort_views.attendance,
    methods=GET_POST,
)
rule(f"{org}/sessions/<id:session_id>/remove", view_func=cohort_views.remove_session, methods=POST)
rule(f"{org}/trainees/<id:enrolment_id>", view_func=enrolment_views.trainee)
rule(
    f"{org}/trainees/<id:enrolment_id>/modules/<id:module_id>/complete",
    view_func=enrolment_views.complete_module,
    methods=POST,
)
rule(f"{org}/trainees/<id:enrolment_id>/withdraw", view_func=enrolment_views.withdraw, methods=POST)
rule(
    f"{org}/trainees/<id:enrolment_id>/recommend",
    view_func=enrolment_views.recommend,
    methods=POST,
)
rule(f"{org}/reviews", view_func=review_views.reviews)
rule(f"{org}/reviews/<id:submission_id>", view_func=review_views.review, methods=GET_POST)
rule(f"{org}/outcomes", view_func=outcome_views.org_outcomes)
rule(f"{org}/outcomes.csv", view_func=outcome_views.outcomes_csv)
rule(f"{org}/outcomes/progress.svg", view_func=outcome_views.org_progress_chart)
rule(f"{org}/outcomes/earnings.svg", view_func=outcome_views.org_earnings_chart)

# Trainees, applicants, anyone with a certificate link ------------------------------------------
rule("/training", view_func=trainee_views.my_training)
rule("/training/<id:enrolment_id>", view_func=trainee_views.my_cohort)
rule("/training/<id:enrolment_id>/certificate", view_func=trainee_views.my_certificate)
rule(
    "/training/<id:enrolment_id>/modules/<id:module_id>",
    view_func=trainee_views.my_module,
)
rule(
    "/training/<id:enrolment_id>/modules/<id:module_id>/lessons/<id:lesson_id>/read",
    view_func=trainee_views.read_lesson,
    methods=POST,
)
rule(
    "/training/<id:enrolment_id>/modules/<id:module_id>/practice",
    view_func=trainee_views.submit_practice,
    methods=POST,
)
rule("/apply/<code>", view_func=trainee_views.apply, methods=GET_POST)
rule("/certificates/<code>", view_func=trainee_views.certificate)

# Directors ----------------------------------------------------------------------------------
rule("/teams/<slug>/graduates", view_func=org_views.team_graduates)
