"""Me, my teams, their members, my availability, and my inbox."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict, Field

from teamhub.api import pagination
from teamhub.api.base import ID, body, bp, operation, person
from teamhub.api.forms import filled
from teamhub.api.pagination import LINK_HEADER, Keyset, PageQuery, link_header, next_url
from teamhub.auth.models import Person
from teamhub.notifications import services as inbox_services
from teamhub.notifications.kinds import body_of, subject_of
from teamhub.notifications.models import Notification
from teamhub.teams import queries, services
from teamhub.teams.forms import AvailabilityForm
from teamhub.teams.models import Membership, Team


class Orm(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class TeamOut(Orm):
    slug: str
    name: str
    prefecture: str
    municipality: str
    payer_type: str
    fee_rate_bp: int = Field(description="The team fee in basis points (1000 = 10%).")
    close_schedule: str


class MembershipOut(Orm):
    id: int
    role: str
    joined_at: datetime
    team: TeamOut


class Me(Orm):
    id: int
    email: str
    display_name: str
    locale: str
    memberships: list[MembershipOut]


class MemberOut(Orm):
    id: int = Field(description="The membership's id.")
    display_name: str
    role: str
    joined_at: datetime
    weekly_units: int | None
    weekly_hours: int | None
    availability_note: str


class MemberPage(BaseModel):
    items: list[MemberOut]
    next: str | None


class Availability(BaseModel):
    weekly_units: int | None = Field(None, description="Units a week.")
    weekly_hours: int | None = Field(None, description="Hours a week.")
    availability_note: str = ""


class InboxItem(BaseModel):
    id: int
    kind: str
    subject: str
    body: str
    link: str
    team_slug: str | None = None
    created_at: datetime
    read_at: datetime | None


class InboxPage(BaseModel):
    items: list[InboxItem]
    next: str | None
    unread: int


class Count(BaseModel):
    count: int


def me_out(someone: Person) -> Me:
    """The person as ``/me`` shows them."""
    memberships = [MembershipOut.model_validate(m) for m in queries.memberships_of(someone)]
    return Me(
        id=someone.id,
        email=someone.email,
        display_name=someone.display_name,
        locale=someone.locale,
        memberships=memberships,
    )


@bp.get("/me")
@operation(Me, tag="me")
def get_me():
    """Who the token acts as, with their teams and roles."""
    return me_out(person())


@bp.get("/teams/<slug>")
@operation(TeamOut, tag="teams")
def get_team(slug):
    """A team the person is a member of."""
    return TeamOut.model_validate(queries.team_access(slug, person()).team)


_ROSTER = Keyset([Membership.id], ["int"])


@bp.get("/teams/<slug>/members")
@operation(MemberPage, query=PageQuery, tag="teams", headers=LINK_HEADER)
def list_members(slug):
    """The team's active members (editors and directors see the roster, as on the pages)."""
    access = queries.team_access(slug, person(), need="editor")
    paging = pagination.requested()
    rows, cursor = _ROSTER.page(
        sa.select(Membership, Person.display_name, Membership.id)
        .join(Person, Person.id == Membership.person_id)
        .where(Membership.team_id == access.team.id, Membership.removed_at.is_(None)),
        paging,
    )
    items = [
        MemberOut.model_validate({**_columns(m), "display_name": name}) for m, name, _id in rows
    ]
    url = next_url(cursor, paging.limit)
    return MemberPage(items=items, next=url), 200, link_header(url)


def _columns(row) -> dict:
    return {c.key: getattr(row, c.key) for c in sa.inspect(type(row)).column_attrs}


def member_out(membership: Membership) -> MemberOut:
    return MemberOut.model_validate(
        {**_columns(membership), "display_name": membership.person.display_name}
    )


@bp.put("/teams/<slug>/me/availability")
@operation(MemberOut, json=Availability, tag="teams")
def set_my_availability(slug):
    """Declare how much the person can take on each week in this team."""
    access = queries.team_access(slug, person())
    form = filled(AvailabilityForm, body())
    services.set_availability(
        access.membership, form.weekly_units.data, form.weekly_hours.data,
        form.availability_note.data or "",
    )  # fmt: skip
    return member_out(access.membership)


# The inbox ------------------------------------------------------------------------------------

_INBOX = Keyset([Notification.id], ["int"], descending=True)


@bp.get("/inbox")
@operation(InboxPage, query=PageQuery, tag="inbox", headers=LINK_HEADER)
def list_inbox():
    """The person's notifications, newest first, in the request's language."""
    someone = person()
    paging = pagination.requested()
    rows, cursor = _INBOX.page(
        sa.select(Notification, Team.slug, Notification.id)
        .outerjoin(Team, Team.id == Notification.team_id)
        .where(Notification.person_id == someone.id),
        paging,
    )
    items = [
        InboxItem(
            id=n.id,
            kind=n.kind,
            subject=subject_of(n.kind, n.params),
            body=body_of(n.kind, n.params),
            link=n.link or "",
            team_slug=slug,
            created_at=n.created_at,
            read_at=n.read_at,
        )
        for n, slug, _id in rows
    ]
    url = next_url(cursor, paging.limit)
    unread = someone.unread_notifications
    return InboxPage(items=items, next=url, unread=unread), 200, link_header(url)


@bp.post(f"/inbox/<{ID}:notification_id>/read")
@operation(status=204, tag="inbox")
def read_notification(notification_id):
    """Mark one of the person's notifications read."""
    inbox_services.mark_read(person(), notification_id)
    return "", 204


@bp.post("/inbox/read-all")
@operation(Count, tag="inbox")
def read_all_notifications():
    """Mark every notification of the person read; says how many were unread."""
    return Count(count=inbox_services.mark_all_read(person()))
