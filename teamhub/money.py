"""Exact yen arithmetic: platform fees, consumption tax, withholding and fair splits.

Every amount is a whole number of yen held in an ``int``; every rate is an ``int`` in basis
points (10000 bp = 100 %). Products are formed exactly in integers and the yen fraction is
dropped (floored) once, at the point the rules say so. No floats are used anywhere.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

BP_PER_WHOLE = 10_000
CONSUMPTION_TAX_BP = 1_000
WITHHOLDING_BP = 1_021
WITHHOLDING_HIGH_BP = 2_042
WITHHOLDING_THRESHOLD_YEN = 1_000_000
INCL_TAX = "incl_tax"
EXCL_TAX = "excl_tax"
FEE_BASES = (INCL_TAX, EXCL_TAX)
# The highest rate a person may enter for a team fee or a platform fee tier: 50 %.
MAX_RATE_BP = 5_000


def _require_yen(name: str, value: int) -> int:
    """Return ``value`` if it is a non-negative whole number of yen, else raise."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int number of yen, not {type(value).__name__}.")
    if value < 0:
        raise ValueError(f"{name} must not be negative (got ¥{value:,}).")
    return value


def _require_rate_bp(name: str, value: int) -> int:
    """Return ``value`` if it is an int rate between 0 and 10000 basis points, else raise."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int in basis points, not {type(value).__name__}.")
    if not 0 <= value <= BP_PER_WHOLE:
        raise ValueError(f"{name} must be between 0 and {BP_PER_WHOLE} bp (got {value}).")
    return value


class FixedExceedsDistributable(ValueError):
    """Fixed payouts ask for more yen than there is to distribute."""

    def __init__(self, fixed_total_yen: int, distributable_yen: int):
        super().__init__(
            f"Fixed amounts total ¥{fixed_total_yen:,}, "
            f"which is more than the ¥{distributable_yen:,} available to distribute."
        )
        self.fixed_total_yen = fixed_total_yen
        self.distributable_yen = distributable_yen


@dataclass(frozen=True)
class FeeTier:
    """One band of a fee schedule: ``rate_bp`` applies to the base up to ``upper_bound_yen``."""

    upper_bound_yen: int | None
    rate_bp: int

    def __post_init__(self) -> None:
        """Refuse a non-positive bound or a rate outside 0-100 %."""
        if self.upper_bound_yen is not None:
            _require_yen("upper_bound_yen", self.upper_bound_yen)
            if self.upper_bound_yen == 0:
                raise ValueError("A fee tier's upper bound must be above ¥0.")
        _require_rate_bp("rate_bp", self.rate_bp)


@dataclass(frozen=True)
class FeeSchedule:
    """A platform's marginal fee tiers, the base they apply to and the tax added on the fee."""

    code: str
    name: str
    tiers: tuple[FeeTier, ...]
    base: str  # "incl_tax" or "excl_tax"
    fee_tax_rate_bp: int  # consumption tax added on the fee, 0 if the rate already includes tax

    def __post_init__(self) -> None:
        """Refuse an unknown base, a negative fee tax or badly ordered tiers."""
        if self.base not in FEE_BASES:
            raise ValueError(f"Fee base must be one of {FEE_BASES}, not {self.base!r}.")
        _require_rate_bp("fee_tax_rate_bp", self.fee_tax_rate_bp)
        _check_tiers(self.code, self.tiers)


def _check_tiers(code: str, tiers: tuple[FeeTier, ...]) -> None:
    """Require ascending bounds with exactly the last tier unbounded."""
    if not tiers or tiers[-1].upper_bound_yen is not None:
        raise ValueError(f"Fee schedule {code!r} must end with a tier that has no upper bound.")
    bounds = [tier.upper_bound_yen for tier in tiers[:-1]]
    if None in bounds or bounds != sorted(set(bounds)):
        raise ValueError(f"Fee schedule {code!r} needs strictly ascending tier upper bounds.")


DEFAULT_FEE_SCHEDULES: dict[str, FeeSchedule] = {
    schedule.code: schedule
    for schedule in (
        FeeSchedule("lancers", "Lancers", (FeeTier(None, 1_650),), INCL_TAX, 0),
        FeeSchedule(
            "crowdworks",
            "CrowdWorks",
            (FeeTier(100_000, 2_000), FeeTier(200_000, 1_000), FeeTier(None, 500)),
            INCL_TAX,
            1_000,
        ),
        FeeSchedule("shufti", "Shufti", (FeeTier(None, 1_000),), INCL_TAX, 0),
        FeeSchedule("direct", "Direct", (FeeTier(None, 0),), INCL_TAX, 0),
    )
}


def _tiered_yen_bp(tiers: tuple[FeeTier, ...], base_yen: int) -> int:
    """Return the exact sum of each tier's slice of ``base_yen`` times its rate, in yen·bp."""
    total = 0
    lower = 0
    for tier in tiers:
        bound = tier.upper_bound_yen
        upper = base_yen if bound is None else min(base_yen, bound)
        if upper <= lower:
            break
        total += (upper - lower) * tier.rate_bp
        lower = upper
    return total


def fee_for(schedule: FeeSchedule, total_incl_tax_yen: int, tax_yen: int = 0) -> int:
    """Return the fee the platform keeps, including its consumption tax on the fee."""
    _require_yen("total_incl_tax_yen", total_incl_tax_yen)
    _require_yen("tax_yen", tax_yen)
    if tax_yen > total_incl_tax_yen:
        raise ValueError(
            f"tax_yen (¥{tax_yen:,}) cannot exceed total_incl_tax_yen (¥{total_incl_tax_yen:,})."
        )
    base = total_incl_tax_yen - tax_yen if schedule.base == EXCL_TAX else total_incl_tax_yen
    fee = _tiered_yen_bp(schedule.tiers, base) // BP_PER_WHOLE
    return fee + fee * schedule.fee_tax_rate_bp // BP_PER_WHOLE


def platform_fee(platform: str, total_incl_tax_yen: int) -> int:
    """Return the fee a known platform keeps from a tax-inclusive contract total."""
    schedule = DEFAULT_FEE_SCHEDULES.get(platform)
    if schedule is None:
        known = ", ".join(sorted(DEFAULT_FEE_SCHEDULES))
        raise ValueError(f"Unknown platform {platform!r}; expected one of: {known}.")
    return fee_for(schedule, total_incl_tax_yen)


def consumption_tax(amount_excl_tax_yen: int) -> int:
    """Return 10 % consumption tax on a tax-exclusive amount, yen fraction dropped."""
    _require_yen("amount_excl_tax_yen", amount_excl_tax_yen)
    return amount_excl_tax_yen * CONSUMPTION_TAX_BP // BP_PER_WHOLE


def team_fee(received_yen: int, rate_bp: int) -> int:
    """Return the team's cut of ``received_yen`` at ``rate_bp``, yen fraction dropped."""
    _require_yen("received_yen", received_yen)
    _require_rate_bp("rate_bp", rate_bp)
    return received_yen * rate_bp // BP_PER_WHOLE


def withholding(amount_yen: int) -> int:
    """Return 源泉徴収 on a fee: 10.21 % up to ¥1,000,000 and 20.42 % above, floored."""
    _require_yen("amount_yen", amount_yen)
    if amount_yen <= WITHHOLDING_THRESHOLD_YEN:
        return amount_yen * WITHHOLDING_BP // BP_PER_WHOLE
    base_tax = WITHHOLDING_THRESHOLD_YEN * WITHHOLDING_BP // BP_PER_WHOLE
    excess = amount_yen - WITHHOLDING_THRESHOLD_YEN
    return base_tax + excess * WITHHOLDING_HIGH_BP // BP_PER_WHOLE


def _weight_total(name: str, weights: Sequence[int]) -> int:
    """Return the sum of ``weights`` after refusing any that is negative or not an int."""
    for position, weight in enumerate(weights):
        if isinstance(weight, bool) or not isinstance(weight, int):
            raise TypeError(f"{name}[{position}] must be an int, not {type(weight).__name__}.")
        if weight < 0:
            raise ValueError(f"{name}[{position}] must not be negative (got {weight}).")
    return sum(weights)


def allocate(total_yen: int, weights: Sequence[int]) -> list[int]:
    """Split ``total_yen`` in proportion to ``weights`` into whole yen that sum exactly.

    Each share is first floored; the leftover yen then go one each to the largest remainders,
    ties to the earlier position. A weight of 0 always gets 0.
    """
    _require_yen("total_yen", total_yen)
    if not weights:
        raise ValueError("Cannot allocate over an empty list of weights.")
    weight_total = _weight_total("weights", weights)
    if weight_total == 0:
        raise ValueError("Cannot allocate when every weight is 0.")
    parts = [divmod(total_yen * weight, weight_total) for weight in weights]
    shares = [floor for floor, _ in parts]
    leftover = total_yen - sum(shares)
    by_remainder = sorted(range(len(parts)), key=lambda i: -parts[i][1])
    for position in by_remainder[:leftover]:
        shares[position] += 1
    return shares


def distribute(
    distributable_yen: int, fixed: Sequence[int], unit_weights: Sequence[int]
) -> tuple[list[int], list[int]]:
    """Pay the ``fixed`` amounts first, then ``allocate`` the rest over ``unit_weights``.

    Returns ``(fixed_shares, unit_shares)``. If ``unit_weights`` is empty or all 0, nobody
    shares the rest: ``unit_shares`` is all zeros and the undistributed remainder is
    ``distributable_yen - sum(fixed)``. Raises ``FixedExceedsDistributable`` when the fixed
    amounts need more than ``distributable_yen``.
    """
    _require_yen("distributable_yen", distributable_yen)
    fixed_shares = [_require_yen(f"fixed[{i}]", amount) for i, amount in enumerate(fixed)]
    fixed_total = sum(fixed_shares)
    if fixed_total > distributable_yen:
        raise FixedExceedsDistributable(fixed_total, distributable_yen)
    if _weight_total("unit_weights", unit_weights) == 0:
        return fixed_shares, [0] * len(unit_weights)
    return fixed_shares, allocate(distributable_yen - fixed_total, unit_weights)


# Rates as people type and read them ------------------------------------------------------


def percent_to_bp(value: str | Decimal) -> int | None:
    """Turn '10' or '12.5' (percent) into basis points; None when not a valid rate."""
    try:
        bp = Decimal(unicodedata.normalize("NFKC", str(value)).strip().rstrip("%")) * 100
        if not bp.is_finite() or bp != bp.to_integral_value() or not 0 <= bp <= MAX_RATE_BP:
            return None
    except ArithmeticError:  # not a number, a signalling NaN, an exponent past any context
        return None
    return int(bp)


def bp_to_percent(bp: int) -> str:
    """Render basis points as a percent without trailing zeros: 1050 → '10.5'."""
    return format(Decimal(bp).scaleb(-2), "f").rstrip("0").rstrip(".")
