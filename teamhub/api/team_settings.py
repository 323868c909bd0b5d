"""Founding a team (anyone: they become its first director), a team's settings and public page
(directors), and each member's own entry on that page, on the team services and forms the pages
use."""

from __future__ import annotations

from pydantic import BaseModel, Field

from teamhub import money
from teamhub.api.base import body, bp, idempotent, operation, person
from teamhub.api.forms import filled
from teamhub.api.schemas import Body, Text, choice
from teamhub.skills import SKILL_LABELS, set_declared_skills
from teamhub.teams import queries, services
from teamhub.teams.forms import ProfileForm, TeamForm
from teamhub.teams.models import CLOSE_SCHEDULES, PAYER_TYPES, PLATFORMS, Team
from teamhub.teams.rules import PREFECTURES

TEAM = "/teams/<slug>"


class PlatformAccount(Body):
    platform: choice(PLATFORMS)
    handle: Text = Field(description="The account name on the platform (never a password).")


class TeamSettingsBody(Body):
    name: Text
    slug: Text = Field(description="The public address /t/…; changing it moves the API's too.")
    prefecture: choice(PREFECTURES)
    municipality: Text
    payer_type: choice(PAYER_TYPES) = "individual"
    fee_rate: Text = Field(description="The team fee in percent, 0 to 50, for example 12.5.")
    close_schedule: choice(CLOSE_SCHEDULES) = "month_end"
    invoice_number: Text = Field("", description="T followed by 13 digits, or empty.")
    description: Text = Field("", description="About the team, shown on its public page.")
    platform_accounts: list[PlatformAccount] = Field([], max_length=6)


class TeamSettingsOut(BaseModel):
    slug: str
    name: str
    prefecture: str
    municipality: str
    payer_type: str
    fee_rate_bp: int = Field(description="The team fee in basis points (1000 = 10%).")
    fee_rate: str = Field(description="The same fee in percent, as the settings take it.")
    close_schedule: str
    invoice_number: str
    description: str
    platform_accounts: list[PlatformAccount]


class ProfileBody(Body):
    show_on_profile: bool = Field(description="List me on the team's public page.")
    public_handle: Text = Field("", description="The handle shown there (not a real name).")
    skills: list[choice(tuple(SKILL_LABELS))] = Field([], max_length=len(SKILL_LABELS))


class ProfileOut(BaseModel):
    show_on_profile: bool
    public_handle: str
    skills: list[str] = Field(description="Skills the person declares (training's are apart).")


def _settings_out(team: Team) -> TeamSettingsOut:
    return TeamSettingsOut(
        slug=team.slug, name=team.name, prefecture=team.prefecture,
        municipality=team.municipality, payer_type=team.payer_type,
        fee_rate_bp=team.fee_rate_bp, fee_rate=money.bp_to_percent(team.fee_rate_bp),
        close_schedule=team.close_schedule, invoice_number=team.invoice_number or "",
        description=team.description or "",
        platform_accounts=[
            PlatformAccount(platform=a.platform, handle=a.handle) for a in team.platform_accounts
        ],
    )  # fmt: skip


def _settings_from(form: TeamForm) -> services.TeamSettings:
    return services.TeamSettings(
        name=form.name.data, slug=form.slug.data, prefecture=form.prefecture.data,
        municipality=form.municipality.data, payer_type=form.payer_type.data,
        fee_rate_bp=money.percent_to_bp(form.fee_rate.data),
        close_schedule=form.close_schedule.data, invoice_number=form.invoice_number.data or "",
        description=form.description.data or "", platform_accounts=form.accounts(),
    )  # fmt: skip


@bp.post("/teams")
@idempotent
@operation(TeamSettingsOut, status=201, json=TeamSettingsBody, tag="teams")
def create_team():
    """Found a team with these settings; the person becomes its first director."""
    form = filled(TeamForm, body())
    return _settings_out(services.create_team(person(), _settings_from(form))), 201


@bp.get(f"{TEAM}/settings")
@operation(TeamSettingsOut, tag="teams")
def get_team_settings(slug):
    """The team's settings and public page (directors)."""
    return _settings_out(queries.team_access(slug, person(), need="director").team)


@bp.put(f"{TEAM}/settings")
@operation(TeamSettingsOut, json=TeamSettingsBody, tag="teams")
def edit_team_settings(slug):
    """Change the team's settings and public page; accounts left out are removed
    (directors)."""
    access = queries.team_access(slug, person(), need="director")
    form = filled(TeamForm, body())
    services.update_team(access.team, _settings_from(form))
    return _settings_out(access.team)


def _profile_out(membership) -> ProfileOut:
    declared = [s.skill for s in person().skills if s.source == "declared"]
    return ProfileOut(
        show_on_profile=membership.show_on_profile,
        public_handle=membership.public_handle or "",
        skills=sorted(declared),
    )


@bp.put(f"{TEAM}/me/profile")
@operation(ProfileOut, json=ProfileBody, tag="teams")
def set_my_profile(slug):
    """Whether the team's public page lists the person, under which handle, and the skills
    they declare."""
    access = queries.team_access(slug, person())
    form = filled(ProfileForm, body())
    services.set_public_profile(
        access.membership, form.show_on_profile.data, form.public_handle.data or ""
    )
    set_declared_skills(person(), form.skills.data or [])
    return _profile_out(access.membership)
