"""An organisation's own settings: the earnings target its outcome report counts graduates
against (its coordinators, as on its settings page), and what the instance operator keeps of it
(name, address, region) and who coordinates or mentors in it, as on the operator's pages: the
organisations, a new one, one with its staff, an appointment made or ended. The same forms and
services as those pages; anyone but the operator is refused (403)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from pydantic import BaseModel, Field

from teamhub.api import pagination
from teamhub.api.base import ID, body, bp, idempotent, operation, person
from teamhub.api.forms import filled
from teamhub.api.pagination import LINK_HEADER, Keyset, PageQuery, link_header, next_url
from teamhub.api.schemas import Body, Text, choice
from teamhub.api.training import ORG
from teamhub.auth.services import require_operator
from teamhub.errors import NotFound
from teamhub.extensions import db
from teamhub.teams.rules import PREFECTURES
from teamhub.training import organisations, queries
from teamhub.training.access import org_access, org_membership
from teamhub.training.forms import AppointForm, OrganisationForm, TargetForm
from teamhub.training.models import ORG_KINDS, ORG_ROLES, Organisation, OrganisationMembership

ADMIN_ORGS = "/admin/organisations"
ADMIN_ORG = f"{ADMIN_ORGS}/<{ID}:organisation_id>"


class OrganisationOut(BaseModel):
    id: int
    slug: str = Field(description="The address /orgs/…")
    name: str
    kind: str
    prefecture: str
    municipality: str
    target_monthly_yen: int = Field(description="The monthly income graduates are counted against.")


class TargetBody(Body):
    target_monthly_yen: int = Field(description="Whole yen, 1 to 10,000,000.")


class OrganisationBody(Body):
    name: Text
    slug: Text = Field(description="Lower-case letters, digits and hyphens.")
    kind: choice(ORG_KINDS)
    prefecture: choice(PREFECTURES)
    municipality: Text


class AppointBody(Body):
    email: Text = Field(description="The email address of their teamhub account.")
    role: choice(ORG_ROLES) = "coordinator"


class StaffOut(BaseModel):
    id: int = Field(description="The appointment (membership).")
    person_id: int
    name: str
    role: str
    appointed_at: datetime


class OrganisationPage(BaseModel):
    items: list[OrganisationOut]
    next: str | None


class OrganisationWithStaff(OrganisationOut):
    staff: list[StaffOut] = Field(
        description="Its coordinators and mentors, first appointed first."
    )


def _staff_out(membership: OrganisationMembership) -> StaffOut:
    return StaffOut(
        id=membership.id, person_id=membership.person_id, name=membership.person.display_name,
        role=membership.role, appointed_at=membership.appointed_at,
    )  # fmt: skip


def _organisation_out(org: Organisation) -> OrganisationOut:
    return OrganisationOut(
        id=org.id, slug=org.slug, name=org.name, kind=org.kind, prefecture=org.prefecture,
        municipality=org.municipality, target_monthly_yen=org.target_monthly_yen,
    )  # fmt: skip


def _operators_organisation(organisation_id: int) -> Organisation:
    """Authorise, then load, as the operator's pages do."""
    require_operator(person())
    org = db.session.get(Organisation, organisation_id)
    if org is None:
        raise NotFound(_("This organisation does not exist."))
    return org


@bp.get(f"{ORG}/settings")
@operation(OrganisationOut, tag="training")
def get_organisation_settings(org_slug):
    """The organisation and its earnings target, as its settings page shows them
    (coordinators)."""
    return _organisation_out(org_access(org_slug, person()).org)


@bp.put(f"{ORG}/target")
@operation(OrganisationOut, json=TargetBody, tag="training")
def set_target_income(org_slug):
    """Set the monthly income the outcome report counts graduates against (coordinators)."""
    access = org_access(org_slug, person())
    form = filled(TargetForm, body())
    organisations.set_target_income(access.org, form.target_monthly_yen.data)
    return _organisation_out(access.org)


_ORGANISATIONS = Keyset([Organisation.id], ["int"])


@bp.get(ADMIN_ORGS)
@operation(OrganisationPage, query=PageQuery, tag="operator", headers=LINK_HEADER)
def list_organisations():
    """Every organisation of the instance, first made first (the instance operator)."""
    require_operator(person())
    paging = pagination.requested()
    rows, cursor = _ORGANISATIONS.page(sa.select(Organisation, Organisation.id), paging)
    url = next_url(cursor, paging.limit)
    items = [_organisation_out(org) for org, _id in rows]
    return OrganisationPage(items=items, next=url), 200, link_header(url)


@bp.post(ADMIN_ORGS)
@idempotent
@operation(OrganisationOut, status=201, json=OrganisationBody, tag="operator")
def create_organisation():
    """Make a city hall or NPO, for its coordinators to be appointed (the instance operator)."""
    require_operator(person())
    form = filled(OrganisationForm, body())
    return _organisation_out(
        organisations.create_organisation(person(), form.organisation_input())
    ), 201


@bp.get(ADMIN_ORG)
@operation(OrganisationWithStaff, tag="operator")
def get_organisation(organisation_id):
    """An organisation with who coordinates or mentors in it (the instance operator)."""
    org = _operators_organisation(organisation_id)
    staff = [_staff_out(m) for m in queries.staff(org)]
    return OrganisationWithStaff(**_organisation_out(org).model_dump(), staff=staff)


@bp.put(ADMIN_ORG)
@operation(OrganisationOut, json=OrganisationBody, tag="operator")
def edit_organisation(organisation_id):
    """Change an organisation's name, address or region (the instance operator)."""
    org = _operators_organisation(organisation_id)
    form = filled(OrganisationForm, body())
    organisations.update_organisation(person(), org, form.organisation_input())
    return _organisation_out(org)


@bp.post(f"{ADMIN_ORG}/appointments")
@operation(StaffOut, status=201, json=AppointBody, tag="operator", errors=(409,))
def appoint_staff(organisation_id):
    """Make the person with an account's email a coordinator or mentor of the organisation
    (the instance operator); appointing again with another role changes their role."""
    org = _operators_organisation(organisation_id)
    form = filled(AppointForm, body())
    membership = organisations.appoint(person(), org, form.email.data, form.role.data)
    return _staff_out(membership), 201


@bp.post(f"{ADMIN_ORG}/staff/<{ID}:membership_id>/end")
@operation(status=204, tag="operator")
def end_appointment(organisation_id, membership_id):
    """Take a coordinator or mentor off the organisation; what they recorded stays (the
    instance operator). Ending an appointment already ended changes nothing."""
    org = _operators_organisation(organisation_id)
    organisations.end_appointment(person(), org_membership(org, membership_id))
    return "", 204
