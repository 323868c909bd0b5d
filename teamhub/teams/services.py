"""What directors and members do to a team: create, configure, invite, change roles, declare time."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from teamhub import money
from teamhub.auth.models import Person
from teamhub.claims import claim, insert_once
from teamhub.clock import utcnow
from teamhub.errors import Conflict, Invalid, NotAllowed, NotFound
from teamhub.extensions import db
from teamhub.teams import rules
from teamhub.teams.models import (
    CLOSE_SCHEDULES,
    PAYER_TYPES,
    PLATFORMS,
    ROLES,
    Absence,
    Invitation,
    Membership,
    PlatformAccount,
    Team,
)


@dataclass
class TeamSettings:
    """The fields a director sets on a team."""

    name: str
    slug: str
    prefecture: str
    municipality: str
    payer_type: str = "individual"
    fee_rate_bp: int = 1000
    close_schedule: str = "month_end"
    invoice_number: str = ""
    description: str = ""
    platform_accounts: tuple[tuple[str, str], ...] = ()


def _check_settings(settings: TeamSettings, team: Team | None) -> None:
    reasons: dict[str, str] = {}
    if not rules.is_valid_slug(settings.slug):
        reasons["slug"] = _(
            "Use 3-40 lower-case letters, digits and hyphens, starting and ending with a "
            "letter or digit."
        )
    elif _slug_taken(settings.slug, team):
        reasons["slug"] = _("This address is already used by another team.")
    if settings.prefecture not in rules.PREFECTURES:
        reasons["prefecture"] = _("Choose a prefecture from the list.")
    if settings.payer_type not in PAYER_TYPES:
        reasons["payer_type"] = _("Choose a payer type from the list.")
    if not 0 <= settings.fee_rate_bp <= money.MAX_RATE_BP:
        reasons["fee_rate"] = _("Enter a percentage from 0 to 50.")
    if settings.close_schedule not in CLOSE_SCHEDULES:
        reasons["close_schedule"] = _("Choose how often the team pays out from the list.")
    if settings.invoice_number and not rules.is_valid_invoice_number(settings.invoice_number):
        reasons["invoice_number"] = _("Enter T followed by 13 digits, for example T1234567890123.")
    for platform, handle in settings.platform_accounts:
        if platform not in PLATFORMS or not handle.strip():
            reasons["platform_accounts"] = _("Choose a platform and enter the account name.")
    if reasons:
        raise Invalid(_("Please correct the marked fields."), reasons)


def _slug_taken(slug: str, team: Team | None) -> bool:
    query = sa.select(Team.id).where(Team.slug == slug)
    if team is not None:
        query = query.where(Team.id != team.id)
    return db.session.scalar(query) is not None


def _apply_settings(team: Team, settings: TeamSettings) -> None:
    team.name = settings.name.strip()
    team.slug = settings.slug
    team.prefecture = settings.prefecture
    team.municipality = settings.municipality.strip()
    team.payer_type = settings.payer_type
    team.fee_rate_bp = settings.fee_rate_bp
    team.close_schedule = settings.close_schedule
    team.invoice_number = settings.invoice_number or None
    team.description = settings.description.strip()
    wanted = {(p, h.strip()) for p, h in settings.platform_accounts}
    for account in list(team.platform_accounts):
        if (account.platform, account.handle) not in wanted:
            team.platform_accounts.remove(account)
    have = {(a.platform, a.handle) for a in team.platform_accounts}
    for platform, handle in sorted(wanted - have):
        team.platform_accounts.append(PlatformAccount(platform=platform, handle=handle))


def create_team(founder: Person, settings: TeamSettings) -> Team:
    """Create a team whose founder becomes its first director."""
    _check_settings(settings, None)
    team = Team()
    _apply_settings(team, settings)
    if not insert_once(team):  # the address was taken meanwhile (a double click, a namesake)
        message = _("This address is already used by another team.")
        raise Invalid(message, {"slug": message})
    db.session.add(Membership(team=team, person=founder, role="director"))
    db.session.flush()
    return team


def update_team(team: Team, settings: TeamSettings) -> None:
    """Change a team's settings."""
    _check_settings(settings, team)
    _apply_settings(team, settings)
    db.session.flush()


# Invitations ---------------------------------------------------------------------------------


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invite(team: Team, by: Person, role: str = "member", note: str = "") -> tuple[Invitation, str]:
    """Create a one-time invitation; return it with the secret token for the link."""
    if role not in ROLES:
        raise Invalid(
            _("Choose a role from the list."), {"role": _("Choose a role from the list.")}
        )
    token = secrets.token_urlsafe(32)
    ttl = timedelta(days=current_app.config["INVITATION_TTL_DAYS"])
    invitation = Invitation(
        team=team,
        role=role,
        note=note.strip(),
        created_by=by,
        token_hash=_hash_token(token),
        expires_at=utcnow() + ttl,
    )
    db.session.add(invitation)
    db.session.flush()
    return invitation, token


class InvitationUnusable(Conflict):
    """An invitation that exists but cannot be used by this person; ``reason`` says why:
    "used", "revoked", "expired", or "member" (they are in the team already)."""

    def __init__(self, message: str, invitation: Invitation, reason: str):
        super().__init__(message)
        self.invitation = invitation
        self.reason = reason


def find_invitation(token: str) -> Invitation:
    """Return the pending invitation for ``token`` or explain why it cannot be used."""
    invitation = db.session.scalar(
        sa.select(Invitation).where(Invitation.token_hash == _hash_token(token or ""))
    )
    if invitation is None:
        raise NotFound(_("This invitation link is not valid. Ask the director for a new one."))
    if invitation.accepted_at is not None:
        raise InvitationUnusable(_used(), invitation, "used")
    if invitation.revoked_at is not None:
        raise InvitationUnusable(
            _("This invitation was withdrawn. Ask the director for a new one."),
            invitation,
            "revoked",
        )
    if utcnow() >= invitation.expires_at:
        raise InvitationUnusable(
            _("This invitation has expired. Ask the director for a new one."),
            invitation,
            "expired",
        )
    return invitation


def _used() -> str:
    return _("This invitation has already been used. Ask the director for a new one.")


def accept_invitation(token: str, person: Person) -> Membership:
    """Join the invitation's team once; the link cannot be used again. A second request of the
    same person at the same moment (a double click) gets the first one's answer."""
    invitation = find_invitation(token)
    membership = _membership_of(invitation.team_id, person)
    if membership is not None and membership.active:
        raise InvitationUnusable(_("You are already a member of this team."), invitation, "member")
    if not claim(
        invitation, {"accepted_at": None}, {"accepted_at": utcnow(), "accepted_by_id": person.id}
    ):
        joined = _membership_of(invitation.team_id, person)
        if invitation.accepted_by_id == person.id and joined is not None and joined.active:
            return joined
        raise InvitationUnusable(_used(), invitation, "used")
    if membership is None:
        membership = Membership(team_id=invitation.team_id, person_id=person.id)
        if not insert_once(membership):  # joined through another invitation meanwhile
            raise Conflict(_("You are already a member of this team."))
    elif not claim(membership, {"removed_at": membership.removed_at}, {"removed_at": None}):
        raise Conflict(_("You are already a member of this team."))
    membership.role = invitation.role
    membership.joined_at = utcnow()
    db.session.flush()
    return membership


def _membership_of(team_id: int, person: Person) -> Membership | None:
    return db.session.scalar(
        sa.select(Membership).where(
            Membership.team_id == team_id, Membership.person_id == person.id
        )
    )


def revoke_invitation(invitation: Invitation) -> None:
    """Withdraw an invitation that has not been used."""
    if invitation.accepted_at is not None:
        raise Conflict(_("This invitation has already been used."))
    if invitation.revoked_at is None:
        invitation.revoked_at = utcnow()
    db.session.flush()


# Roles and membership ------------------------------------------------------------------------


def _ensure_director_remains(membership: Membership) -> None:
    """Refuse to take away the team's last director. The directors' rows are locked while this
    request decides, so two directors stepping down at once cannot both leave."""
    if not membership.is_director:
        return
    directors = db.session.scalars(
        sa.select(Membership.id)
        .where(
            Membership.team_id == membership.team_id,
            Membership.role == "director",
            Membership.removed_at.is_(None),
        )
        .with_for_update()
    ).all()
    if membership.id in directors and len(directors) <= 1:
        raise Conflict(
            _("A team always needs at least one director. Make someone else director first.")
        )


def change_role(membership: Membership, role: str) -> None:
    """Give a member another role; the last director cannot step down. A request that read the
    same role as another one changing it gets that one's answer when it asked for the same role,
    a 409 when another."""
    if role not in ROLES:
        raise Invalid(_("Choose a role from the list."))
    if not membership.active:
        raise Conflict(_("This person is no longer a member of the team."))
    if role != "director":
        _ensure_director_remains(membership)
    read = {"role": membership.role, "removed_at": None}
    if not claim(membership, read, {"role": role}):
        if membership.active and membership.role == role:
            return
        raise Conflict(_("Someone else changed this member meanwhile. Reload the page."))


def remove_member(membership: Membership) -> None:
    """Take a person off the team; their history and earnings stay. Removing twice (a double
    click) changes nothing more."""
    if not membership.active:
        return
    _ensure_director_remains(membership)
    claim(membership, {"removed_at": None}, {"removed_at": utcnow()})


# Availability and profile --------------------------------------------------------------------


def set_availability(
    membership: Membership, weekly_units: int | None, weekly_hours: int | None, note: str = ""
) -> None:
    """Record how much a member can take on each week."""
    reasons = {}
    if weekly_units is not None and not 0 <= weekly_units <= 1000:
        reasons["weekly_units"] = _("Enter a number from 0 to 1000.")
    if weekly_hours is not None and not 0 <= weekly_hours <= 168:
        reasons["weekly_hours"] = _("Enter a number of hours from 0 to 168.")
    if reasons:
        raise Invalid(_("Please correct the marked fields."), reasons)
    membership.weekly_units = weekly_units
    membership.weekly_hours = weekly_hours
    membership.availability_note = note.strip()
    membership.availability_updated_at = utcnow()
    db.session.flush()


def add_absence(membership: Membership, starts_on: date, ends_on: date, note: str = "") -> Absence:
    """Record dates a member is away, both days included."""
    if ends_on < starts_on:
        message = _("The last day must be on or after the first day.")
        raise Invalid(message, {"ends_on": message})
    if (ends_on - starts_on).days > 366:
        message = _("Enter at most one year at a time.")
        raise Invalid(message, {"ends_on": message})
    absence = Absence(
        membership=membership, starts_on=starts_on, ends_on=ends_on, note=note.strip()
    )
    db.session.add(absence)
    db.session.flush()
    return absence


def remove_absence(membership: Membership, absence_id: int) -> None:
    """Delete one of the member's own absences."""
    absence = db.session.get(Absence, absence_id)
    if absence is None or absence.membership_id != membership.id:
        raise NotFound(_("This absence does not exist."))
    db.session.delete(absence)
    db.session.flush()


def set_public_profile(membership: Membership, show: bool, handle: str) -> None:
    """Choose whether the public team page lists this member, and under which handle."""
    handle = handle.strip()
    if show and not handle:
        message = _("Enter the handle to show, or untick the box.")
        raise Invalid(message, {"public_handle": message})
    membership.show_on_profile = show
    membership.public_handle = handle
    db.session.flush()


def require_director(membership: Membership | None) -> Membership:
    if membership is None or not membership.is_director:
        raise NotAllowed(_("Only the team's directors can do this."))
    return membership
