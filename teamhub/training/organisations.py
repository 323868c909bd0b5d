"""What the operator does to organisations (create, edit, appoint staff) and what their
coordinators set (the target income of the outcome report).

Services take models and plain values, check the rules, add and flush; the request commits.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _

from teamhub import signals
from teamhub.auth.models import Person
from teamhub.auth.services import find_person_by_email, require_operator
from teamhub.claims import claim, insert_once
from teamhub.clock import utcnow
from teamhub.errors import Conflict
from teamhub.extensions import db
from teamhub.teams import rules as team_rules
from teamhub.training.checks import check_length, raise_if, refuse
from teamhub.training.models import ORG_KINDS, ORG_ROLES, Organisation, OrganisationMembership

MAX_TARGET_YEN = 10_000_000


@dataclass
class OrganisationInput:
    name: str
    slug: str
    kind: str
    prefecture: str
    municipality: str


def _slug_taken(slug: str, org: Organisation | None) -> bool:
    query = sa.select(Organisation.id).where(Organisation.slug == slug)
    if org is not None:
        query = query.where(Organisation.id != org.id)
    return db.session.scalar(query) is not None


def _check_organisation(data: OrganisationInput, org: Organisation | None) -> None:
    reasons: dict[str, str] = {}
    check_length(reasons, "name", data.name, 80)
    check_length(reasons, "municipality", data.municipality, 40)
    if not team_rules.is_valid_slug(data.slug):
        reasons["slug"] = _(
            "Use 3-40 lower-case letters, digits and hyphens, starting and ending with a "
            "letter or digit."
        )
    elif _slug_taken(data.slug, org):
        reasons["slug"] = _("This address is already used by another organisation.")
    if data.kind not in ORG_KINDS:
        reasons["kind"] = _("Choose a kind from the list.")
    if data.prefecture not in team_rules.PREFECTURES:
        reasons["prefecture"] = _("Choose a prefecture from the list.")
    raise_if(reasons)


def _apply_organisation(org: Organisation, data: OrganisationInput) -> None:
    org.name = data.name.strip()
    org.slug = data.slug
    org.kind = data.kind
    org.prefecture = data.prefecture
    org.municipality = data.municipality.strip()


def create_organisation(operator: Person, data: OrganisationInput) -> Organisation:
    """Create a city hall or NPO; only the instance operator may."""
    require_operator(operator)
    _check_organisation(data, None)
    org = Organisation()
    _apply_organisation(org, data)
    if not insert_once(org):  # the address was taken meanwhile (a double click, a namesake)
        refuse("slug", _("This address is already used by another organisation."))
    return org


def update_organisation(operator: Person, org: Organisation, data: OrganisationInput) -> None:
    """Change an organisation's name, address or region."""
    require_operator(operator)
    _check_organisation(data, org)
    _apply_organisation(org, data)
    db.session.flush()


def appoint(
    operator: Person, org: Organisation, email: str, role: str = "coordinator"
) -> OrganisationMembership:
    """Give the person with ``email`` a role in the organisation."""
    require_operator(operator)
    if role not in ORG_ROLES:
        refuse("role", _("Choose a role from the list."))
    person = find_person_by_email(email or "")
    if person is None:
        refuse(
            "email",
            _("No account uses this email address. Ask them to sign up first, then appoint them."),
        )
    membership = db.session.scalar(
        sa.select(OrganisationMembership).where(
            OrganisationMembership.organisation_id == org.id,
            OrganisationMembership.person_id == person.id,
        )
    )
    if membership is not None and membership.active and membership.role == role:
        raise Conflict(_("%(name)s already has this role.", name=person.display_name))
    if membership is None:
        membership = OrganisationMembership(organisation_id=org.id, person_id=person.id, role=role)
        if not insert_once(membership):  # appointed at the same moment by another request
            raise Conflict(_("%(name)s already has this role.", name=person.display_name))
    membership.role = role
    membership.ended_at = None
    membership.appointed_at = utcnow()
    db.session.flush()
    signals.staff_appointed.send(membership)
    return membership


def end_appointment(operator: Person, membership: OrganisationMembership) -> None:
    """Take a coordinator or mentor off the organisation; what they recorded stays."""
    require_operator(operator)
    if membership.ended_at is None:  # ended once: a second end (a double click) changes nothing
        claim(membership, {"ended_at": None}, {"ended_at": utcnow()})


def set_target_income(org: Organisation, target_yen: int | None) -> None:
    """Set the monthly income the outcome report counts graduates against."""
    if target_yen is None or not 1 <= target_yen <= MAX_TARGET_YEN:
        refuse("target_monthly_yen", _("Enter whole yen from 1 to 10,000,000."))
    org.target_monthly_yen = target_yen
    db.session.flush()
