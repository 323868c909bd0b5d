"""Read-only lookups for team pages. Every lookup is scoped to what the person may see."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload, selectinload

from teamhub.auth.models import Person
from teamhub.clock import today_jst, utcnow
from teamhub.errors import NotAllowed, NotFound
from teamhub.extensions import db
from teamhub.skills import PersonSkill
from teamhub.teams.models import Invitation, Membership, Team


@dataclass(frozen=True)
class TeamAccess:
    """A loaded team and the signed-in person's active membership in it."""

    team: Team
    membership: Membership

    @property
    def is_director(self) -> bool:
        return self.membership.is_director

    @property
    def can_review(self) -> bool:
        return self.membership.can_review


ROLE_RANK = {"member": 0, "editor": 1, "director": 2}


# A team by its slug with the person's active membership in it; every team page runs it.
TEAM_AND_MEMBERSHIP = (
    sa.select(Team, Membership)
    .join(Membership, Membership.team_id == Team.id)
    .where(
        Team.slug == sa.bindparam("slug"),
        Membership.person_id == sa.bindparam("person_id"),
        Membership.removed_at.is_(None),
    )
)


def team_access(slug: str, person: Person, need: str = "member") -> TeamAccess:
    """Load a team through the person's membership; strangers get 404, too-low roles 403."""
    row = db.session.execute(TEAM_AND_MEMBERSHIP, {"slug": slug, "person_id": person.id}).first()
    if row is None:
        raise NotFound(_("This team does not exist or you are not a member of it."))
    team, membership = row
    if ROLE_RANK[membership.role] < ROLE_RANK[need]:
        raise NotAllowed(_("Your role in this team does not allow this."))
    return TeamAccess(team, membership)


def team_member(team: Team, membership_id: int) -> Membership:
    """Return a membership of ``team`` by id, or 404 when it belongs to another team."""
    membership = db.session.get(Membership, membership_id)
    if membership is None or membership.team_id != team.id:
        raise NotFound(_("This member does not exist in this team."))
    return membership


def team_invitation(team: Team, invitation_id: int) -> Invitation:
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or invitation.team_id != team.id:
        raise NotFound(_("This invitation does not exist in this team."))
    return invitation


def people_with_roles(team_id: int, roles: tuple[str, ...]) -> list[int]:
    """Person ids of the team's active members holding one of ``roles``."""
    return list(
        db.session.scalars(
            sa.select(Membership.person_id).where(
                Membership.team_id == team_id,
                Membership.role.in_(roles),
                Membership.removed_at.is_(None),
            )
        )
    )


def is_member(team_id: int, person: Person) -> bool:
    """Whether the person is in the team now (in any role)."""
    return (
        db.session.scalar(
            sa.select(Membership.id).where(
                Membership.team_id == team_id,
                Membership.person_id == person.id,
                Membership.removed_at.is_(None),
            )
        )
        is not None
    )


def memberships_of(person: Person) -> list[Membership]:
    """The person's active memberships with their teams, for the dashboard."""
    return list(
        db.session.scalars(
            sa.select(Membership)
            .where(Membership.person_id == person.id, Membership.removed_at.is_(None))
            .options(selectinload(Membership.team))
            .order_by(Membership.joined_at)
        )
    )


def roster_order() -> sa.ColumnElement[int]:
    """The roster's order: directors first, then editors, then members (then by joining)."""
    return sa.case(
        (Membership.role == "director", 0),
        (Membership.role == "editor", 1),
        else_=2,
    )


def roster(team: Team) -> list[Membership]:
    """Active members with their people and absences, directors first, in two queries."""
    return list(
        db.session.scalars(
            sa.select(Membership)
            .where(Membership.team_id == team.id, Membership.removed_at.is_(None))
            .options(
                joinedload(Membership.person, innerjoin=True), selectinload(Membership.absences)
            )
            .order_by(roster_order(), Membership.joined_at, Membership.id)
        )
    )


def removed_members(team: Team) -> list[Membership]:
    return list(
        db.session.scalars(
            sa.select(Membership)
            .where(Membership.team_id == team.id, Membership.removed_at.is_not(None))
            .options(selectinload(Membership.person))
            .order_by(Membership.removed_at.desc())
        )
    )


def pending(team: Team) -> sa.Select:
    """The team's invitations that can still be used: neither accepted, withdrawn nor expired."""
    return sa.select(Invitation).where(
        Invitation.team_id == team.id,
        Invitation.accepted_at.is_(None),
        Invitation.revoked_at.is_(None),
        Invitation.expires_at > utcnow(),
    )


def pending_invitations(team: Team) -> list[Invitation]:
    return list(db.session.scalars(pending(team).order_by(Invitation.created_at.desc())))


def away_today(membership: Membership) -> bool:
    today = today_jst()
    return any(a.covers(today) for a in membership.absences)


@dataclass(frozen=True)
class PublicProfile:
    team: Team
    size: int
    skills: list[str]
    handles: list[str]


def public_profile(slug: str) -> PublicProfile:
    """What anyone may see of a team: size, skills, region, opted-in handles (its track record
    is the jobs', ``jobs.queries.track_record``)."""
    team = db.session.scalar(sa.select(Team).where(Team.slug == slug))
    if team is None:
        raise NotFound(_("There is no team at this address."))
    active = sa.and_(Membership.team_id == team.id, Membership.removed_at.is_(None))
    size = db.session.scalar(sa.select(sa.func.count(Membership.id)).where(active))
    skills = db.session.scalars(
        sa.select(PersonSkill.skill)
        .join(Membership, Membership.person_id == PersonSkill.person_id)
        .where(active)
        .distinct()
        .order_by(PersonSkill.skill)
    ).all()
    handles = db.session.scalars(
        sa.select(Membership.public_handle)
        .where(active, Membership.show_on_profile.is_(True), Membership.public_handle != "")
        .order_by(Membership.public_handle)
    ).all()
    return PublicProfile(team, size, list(skills), list(handles))
