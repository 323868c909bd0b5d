"""The platforms' fee schedules, kept as data the operator may edit."""

from __future__ import annotations

import unicodedata

import sqlalchemy as sa
from flask_babel import gettext as _

from teamhub import money
from teamhub.auth.models import Person
from teamhub.auth.services import require_operator
from teamhub.clock import utcnow
from teamhub.errors import Invalid
from teamhub.extensions import db
from teamhub.money import bp_to_percent, percent_to_bp
from teamhub.payouts.models import FeeScheduleRow


def fee_schedule(code: str) -> money.FeeSchedule:
    """The platform's fee schedule as stored (editable data), else the shipped default."""
    row = db.session.scalar(sa.select(FeeScheduleRow).where(FeeScheduleRow.code == code))
    if row is None:
        return money.DEFAULT_FEE_SCHEDULES[code]
    tiers = tuple(money.FeeTier(bound, rate) for bound, rate in row.tiers)
    return money.FeeSchedule(row.code, row.name, tiers, row.base, row.fee_tax_rate_bp)


def fee_schedules() -> list[money.FeeSchedule]:
    """Every platform's schedule as estimates use it: stored, else the shipped default."""
    return [fee_schedule(code) for code in money.DEFAULT_FEE_SCHEDULES]


def parse_tiers(text: str) -> tuple[money.FeeTier, ...]:
    """Read tiers written one per line as "upper bound yen: rate %", the last without a bound.

    For example "100000: 20 / 200000: 10 / : 5" (one per line) is CrowdWorks' schedule.
    """
    tiers = []
    for number, raw in enumerate(text.strip().splitlines(), start=1):
        line = unicodedata.normalize("NFKC", raw).replace(",", "").replace("¥", "").strip()
        if not line:
            continue
        bound, _colon, rate = line.rpartition(":")
        rate_bp = percent_to_bp(rate.strip())
        try:
            upper = int(bound) if bound.strip() else None
            tiers.append(money.FeeTier(upper, rate_bp if rate_bp is not None else -1))
        except ValueError as error:
            message = _(
                'Line %(n)d: write "upper bound in yen: rate %%", for example 100000: 20.', n=number
            )
            raise Invalid(message, {"tiers": message}) from error
    return tuple(tiers)


def update_fee_schedule(
    by: Person, code: str, tiers_text: str, fee_tax_rate_bp: int | None
) -> None:
    """The operator changes a platform's published schedule; estimates follow from now on."""
    require_operator(by)
    current = fee_schedule(code)
    tiers = parse_tiers(tiers_text)
    try:
        tax_bp = fee_tax_rate_bp if fee_tax_rate_bp is not None else -1
        schedule = money.FeeSchedule(code, current.name, tiers, current.base, tax_bp)
    except ValueError as error:
        message = _(
            "The tiers must rise, and only the last one has no upper bound. "
            "The fee tax is 0 to 50 %."
        )
        raise Invalid(message, {"tiers": message}) from error
    row = db.session.scalar(sa.select(FeeScheduleRow).where(FeeScheduleRow.code == code))
    if row is None:
        row = FeeScheduleRow(code=code, name=current.name, base=current.base)
        db.session.add(row)
    row.tiers = [[t.upper_bound_yen, t.rate_bp] for t in schedule.tiers]
    row.fee_tax_rate_bp = schedule.fee_tax_rate_bp
    row.updated_at = utcnow()
    db.session.flush()


def tiers_text(schedule: money.FeeSchedule) -> str:
    return "\n".join(
        f"{'' if t.upper_bound_yen is None else t.upper_bound_yen}: {bp_to_percent(t.rate_bp)}"
        for t in schedule.tiers
    )
