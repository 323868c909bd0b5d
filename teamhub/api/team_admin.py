"""Running a team: invitations (directors), a member's role and removal (directors), and each
member's own dates away, on the team services the pages call."""

from __future__ import annotations

from datetime import date, datetime

from flask import url_for
from pydantic import BaseModel, Field

from teamhub.api import pagination
from teamhub.api.base import ID, body, bp, idempotent, operation, person
from teamhub.api.forms import filled
from teamhub.api.pagination import LINK_HEADER, Keyset, PageQuery, link_header, next_url
from teamhub.api.people import MemberOut, member_out
from teamhub.api.schemas import Body, Orm, Text, choice
from teamhub.teams import queries, services
from teamhub.teams.forms import AbsenceForm, InvitationForm, RoleForm
from teamhub.teams.models import ROLES, Invitation

TEAM = "/teams/<slug>"
INVITATIONS = f"{TEAM}/invitations"
MEMBER = f"{TEAM}/members/<{ID}:membership_id>"
ABSENCES = f"{TEAM}/me/absences"


class InvitationOut(Orm):
    id: int
    role: str
    note: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None


class NewInvitation(InvitationOut):
    url: str = Field(description="The link to send: shown this once, never again.")


class InvitationPage(BaseModel):
    items: list[InvitationOut]
    next: str | None


class InvitationBody(Body):
    role: choice(ROLES) = "member"
    note: Text = Field("", description="For yourself: who it is for.")


class RoleBody(Body):
    role: choice(ROLES)


class AbsenceOut(Orm):
    id: int
    starts_on: date
    ends_on: date
    note: str


class AbsenceList(BaseModel):
    items: list[AbsenceOut]


class AbsenceBody(Body):
    starts_on: date = Field(description="The first day away.")
    ends_on: date = Field(description="The last day away.")
    note: Text = Field("", description="Only the team sees it.")


# Invitations ---------------------------------------------------------------------------------

_NEWEST = Keyset([Invitation.created_at, Invitation.id], ["datetime", "int"], descending=True)


@bp.get(INVITATIONS)
@operation(InvitationPage, query=PageQuery, tag="teams", headers=LINK_HEADER)
def list_invitations(slug):
    """Invitations that can still be used, the newest first (directors)."""
    access = queries.team_access(slug, person(), need="director")
    paging = pagination.requested()
    rows, cursor = _NEWEST.page(
        queries.pending(access.team).add_columns(Invitation.created_at, Invitation.id), paging
    )
    url = next_url(cursor, paging.limit)
    items = [InvitationOut.model_validate(i) for i, *_key in rows]
    return InvitationPage(items=items, next=url), 200, link_header(url)


@bp.post(INVITATIONS)
@operation(NewInvitation, status=201, json=InvitationBody, tag="teams")
def invite(slug):
    """Make a one-time invitation link for a role (directors). Send the link yourself."""
    access = queries.team_access(slug, person(), need="director")
    form = filled(InvitationForm, body())
    invitation, token = services.invite(access.team, person(), form.role.data, form.note.data)
    url = url_for("teams.invitation", token=token, _external=True)
    return NewInvitation(**InvitationOut.model_validate(invitation).model_dump(), url=url), 201


@bp.post(f"{INVITATIONS}/<{ID}:invitation_id>/revoke")
@operation(InvitationOut, tag="teams", errors=(409,))
def revoke_invitation(slug, invitation_id):
    """Withdraw an invitation not yet used: its link stops working (directors)."""
    access = queries.team_access(slug, person(), need="director")
    invitation = queries.team_invitation(access.team, invitation_id)
    services.revoke_invitation(invitation)
    return InvitationOut.model_validate(invitation)


# Roles and removal ---------------------------------------------------------------------------


@bp.put(f"{MEMBER}/role")
@operation(MemberOut, json=RoleBody, tag="teams", errors=(409,))
def change_role(slug, membership_id):
    """Give a member another role; the last director cannot step down (directors)."""
    access = queries.team_access(slug, person(), need="director")
    membership = queries.team_member(access.team, membership_id)
    form = filled(RoleForm, body())
    services.change_role(membership, form.role.data)
    return member_out(membership)


@bp.post(f"{MEMBER}/remove")
@operation(status=204, tag="teams", errors=(409,))
def remove_member(slug, membership_id):
    """Take a person off the team; their history and earnings stay (directors)."""
    access = queries.team_access(slug, person(), need="director")
    services.remove_member(queries.team_member(access.team, membership_id))
    return "", 204


# Dates away ----------------------------------------------------------------------------------


@bp.get(ABSENCES)
@operation(AbsenceList, tag="teams")
def list_my_absences(slug):
    """The person's own dates away in this team."""
    access = queries.team_access(slug, person())
    return AbsenceList(items=[AbsenceOut.model_validate(a) for a in access.membership.absences])


@bp.post(ABSENCES)
@idempotent
@operation(AbsenceOut, status=201, json=AbsenceBody, tag="teams")
def add_my_absence(slug):
    """Record days the person is away, both included (at most a year at a time)."""
    access = queries.team_access(slug, person())
    form = filled(AbsenceForm, body())
    absence = services.add_absence(
        access.membership, form.starts_on.data, form.ends_on.data, form.note.data or ""
    )
    return AbsenceOut.model_validate(absence), 201


@bp.delete(f"{ABSENCES}/<{ID}:absence_id>")
@operation(status=204, tag="teams")
def delete_my_absence(slug, absence_id):
    """Delete one of the person's own dates away."""
    access = queries.team_access(slug, person())
    services.remove_absence(access.membership, absence_id)
    return "", 204
