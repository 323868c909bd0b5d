"""Tests for teamhub.money: published vectors, refusals and exact-arithmetic properties."""

from __future__ import annotations

import ast
import math
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from teamhub import money
from teamhub.money import (
    DEFAULT_FEE_SCHEDULES,
    FeeSchedule,
    FeeTier,
    FixedExceedsDistributable,
    allocate,
    consumption_tax,
    distribute,
    fee_for,
    platform_fee,
    team_fee,
    withholding,
)

YEN = st.integers(min_value=0, max_value=10**10)
SMALL_YEN = st.integers(min_value=0, max_value=10**6)
WEIGHT = st.integers(min_value=0, max_value=1_000)
WEIGHTS = st.lists(WEIGHT, min_size=1, max_size=12).filter(any)
PLATFORMS = sorted(DEFAULT_FEE_SCHEDULES)


def exact_share(total: int, weights: list[int], position: int) -> Fraction:
    """Return the exact proportional share of ``total`` at ``position``."""
    return Fraction(total * weights[position], sum(weights))


def reference_allocate(total: int, weights: list[int]) -> list[int]:
    """Return largest-remainder shares computed independently with Fractions."""
    exact = [exact_share(total, weights, i) for i in range(len(weights))]
    shares = [math.floor(share) for share in exact]
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - shares[i]), i))
    for position in order[: total - sum(shares)]:
        shares[position] += 1
    return shares


def reference_withholding(amount: int) -> int:
    """Return 源泉徴収 from the statutory formula using Fractions."""
    low = min(amount, 1_000_000)
    high = max(amount - 1_000_000, 0)
    return math.floor(Fraction(1021, 10_000) * low + Fraction(2042, 10_000) * high)


# --- published vectors -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("platform", "total", "fee"),
    [
        ("crowdworks", 11_000, 2_420),
        ("crowdworks", 130_000, 25_300),
        ("lancers", 11_000, 1_815),
        ("shufti", 11_000, 1_100),
        ("direct", 11_000, 0),
        ("direct", 130_000, 0),
    ],
)
def test_platform_fee_published_vectors(platform: str, total: int, fee: int) -> None:
    assert platform_fee(platform, total) == fee


@pytest.mark.parametrize(
    ("total", "fee"),
    [
        (0, 0),
        (100_000, 22_000),  # 20,000 + 10 % tax
        (200_000, 33_000),  # 20,000 + 10,000 = 30,000 + 10 % tax
        (300_000, 38_500),  # 30,000 + 5,000 = 35,000 + 10 % tax
        (9, 1),  # 20 % of 9 = 1.8 -> 1, tax on 1 = 0.1 -> 0
    ],
)
def test_crowdworks_tier_boundaries(total: int, fee: int) -> None:
    assert platform_fee("crowdworks", total) == fee


@pytest.mark.parametrize(
    ("amount", "tax"),
    [(10_000, 1_021), (1_333_333, 170_166), (1_500_000, 204_200), (1_000_000, 102_100), (0, 0)],
)
def test_withholding_published_vectors(amount: int, tax: int) -> None:
    assert withholding(amount) == tax


@pytest.mark.parametrize(
    ("amount", "tax"), [(0, 0), (9, 0), (10, 1), (10_000, 1_000), (12_345, 1_234)]
)
def test_consumption_tax_drops_the_fraction(amount: int, tax: int) -> None:
    assert consumption_tax(amount) == tax


@pytest.mark.parametrize(
    ("received", "rate_bp", "fee"),
    [(100_000, 1_000, 10_000), (99_999, 1_500, 14_999), (1, 9_999, 0), (5_000, 0, 0)],
)
def test_team_fee_floors(received: int, rate_bp: int, fee: int) -> None:
    assert team_fee(received, rate_bp) == fee


def test_default_schedules_are_the_documented_data() -> None:
    crowdworks = DEFAULT_FEE_SCHEDULES["crowdworks"]
    assert crowdworks.tiers == (
        FeeTier(100_000, 2_000),
        FeeTier(200_000, 1_000),
        FeeTier(None, 500),
    )
    assert (crowdworks.base, crowdworks.fee_tax_rate_bp) == ("incl_tax", 1_000)
    assert DEFAULT_FEE_SCHEDULES["lancers"].tiers == (FeeTier(None, 1_650),)
    assert DEFAULT_FEE_SCHEDULES["lancers"].fee_tax_rate_bp == 0
    assert DEFAULT_FEE_SCHEDULES["shufti"].tiers == (FeeTier(None, 1_000),)
    assert DEFAULT_FEE_SCHEDULES["direct"].tiers == (FeeTier(None, 0),)
    assert all(code == schedule.code for code, schedule in DEFAULT_FEE_SCHEDULES.items())


def test_fee_for_excl_tax_base_subtracts_the_tax() -> None:
    schedule = FeeSchedule("x", "X", (FeeTier(None, 2_000),), "excl_tax", 1_000)
    assert fee_for(schedule, 11_000, tax_yen=1_000) == 2_200
    assert fee_for(schedule, 11_000) == 2_420


def test_fee_for_incl_tax_base_ignores_the_tax() -> None:
    assert fee_for(DEFAULT_FEE_SCHEDULES["crowdworks"], 11_000, tax_yen=1_000) == 2_420


def test_fee_for_floors_the_sum_of_tiers_not_each_tier() -> None:
    schedule = FeeSchedule("x", "X", (FeeTier(1, 5_000), FeeTier(None, 5_000)), "incl_tax", 0)
    assert fee_for(schedule, 3) == 1  # 0.5 + 1.0 = 1.5 -> 1, not 0 + 1 = 1 by luck
    schedule = FeeSchedule(
        "y", "Y", (FeeTier(1, 5_000), FeeTier(2, 5_000), FeeTier(None, 0)), "incl_tax", 0
    )
    assert fee_for(schedule, 2) == 1  # 0.5 + 0.5 = 1, flooring per tier would give 0


@pytest.mark.parametrize(
    ("total", "weights", "shares"),
    [
        (100, [1, 1, 1], [34, 33, 33]),
        (101, [1, 1, 1], [34, 34, 33]),
        (10, [1, 2], [3, 7]),
        (100, [0, 1, 0], [0, 100, 0]),
        (0, [3, 5], [0, 0]),
        (7, [2, 1, 2], [3, 1, 3]),
        (1, [1, 1, 1, 1], [1, 0, 0, 0]),
    ],
)
def test_allocate_examples(total: int, weights: list[int], shares: list[int]) -> None:
    assert allocate(total, weights) == shares


def test_distribute_pays_fixed_then_splits_the_rest() -> None:
    assert distribute(100_000, [30_000, 10_000], [1, 2]) == ([30_000, 10_000], [20_000, 40_000])


@pytest.mark.parametrize("unit_weights", [[], [0, 0]])
def test_distribute_without_unit_weights_leaves_the_rest(unit_weights: list[int]) -> None:
    fixed_shares, unit_shares = distribute(100_000, [30_000], unit_weights)
    assert fixed_shares == [30_000]
    assert unit_shares == [0] * len(unit_weights)
    assert 100_000 - sum(fixed_shares) == 70_000


def test_distribute_fixed_may_use_everything() -> None:
    assert distribute(5_000, [2_000, 3_000], [1, 1]) == ([2_000, 3_000], [0, 0])


# --- refusals ----------------------------------------------------------------------------


def test_unknown_platform_is_refused_with_the_known_ones() -> None:
    with pytest.raises(ValueError, match=r"Unknown platform 'coconala'.*crowdworks"):
        platform_fee("coconala", 11_000)


@pytest.mark.parametrize(
    "call",
    [
        lambda: platform_fee("crowdworks", -1),
        lambda: fee_for(DEFAULT_FEE_SCHEDULES["lancers"], -1),
        lambda: fee_for(DEFAULT_FEE_SCHEDULES["lancers"], 100, tax_yen=-1),
        lambda: withholding(-1),
        lambda: consumption_tax(-1),
        lambda: team_fee(-1, 1_000),
        lambda: allocate(-1, [1]),
        lambda: distribute(-1, [], [1]),
        lambda: distribute(100, [-1], [1]),
    ],
)
def test_negative_amounts_are_refused(call) -> None:
    with pytest.raises(ValueError, match="must not be negative"):
        call()


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ([], "empty"),
        ([0, 0, 0], "every weight is 0"),
        ([1, -1, 2], r"weights\[1\] must not be negative"),
    ],
)
def test_allocate_refuses_bad_weights(weights: list[int], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        allocate(100, weights)


def test_distribute_refuses_negative_unit_weights() -> None:
    with pytest.raises(ValueError, match=r"unit_weights\[0\] must not be negative"):
        distribute(100, [], [-1, 2])


def test_fixed_exceeding_distributable_is_a_domain_error() -> None:
    with pytest.raises(FixedExceedsDistributable, match="more than the ¥50,000") as caught:
        distribute(50_000, [30_000, 20_001], [1])
    assert isinstance(caught.value, ValueError)
    assert caught.value.fixed_total_yen == 50_001
    assert caught.value.distributable_yen == 50_000


def test_fee_for_refuses_tax_above_total() -> None:
    with pytest.raises(ValueError, match="cannot exceed"):
        fee_for(DEFAULT_FEE_SCHEDULES["lancers"], 100, tax_yen=101)


@pytest.mark.parametrize("rate_bp", [-1, 10_001])
def test_team_fee_refuses_rates_outside_0_to_100_percent(rate_bp: int) -> None:
    with pytest.raises(ValueError, match="between 0 and 10000"):
        team_fee(1_000, rate_bp)


@pytest.mark.parametrize(
    "call",
    [
        lambda: withholding(Decimal("1000.5")),
        lambda: allocate(Decimal(100), [1]),
        lambda: allocate(100, [Decimal(1)]),
        lambda: platform_fee("lancers", True),
    ],
)
def test_non_int_amounts_are_refused(call) -> None:
    with pytest.raises(TypeError, match="must be an int"):
        call()


@pytest.mark.parametrize(
    "build",
    [
        lambda: FeeSchedule("x", "X", (), "incl_tax", 0),
        lambda: FeeSchedule("x", "X", (FeeTier(100, 1_000),), "incl_tax", 0),
        lambda: FeeSchedule(
            "x", "X", (FeeTier(200, 1), FeeTier(100, 1), FeeTier(None, 1)), "incl_tax", 0
        ),
        lambda: FeeSchedule(
            "x", "X", (FeeTier(100, 1), FeeTier(100, 1), FeeTier(None, 1)), "incl_tax", 0
        ),
        lambda: FeeSchedule("x", "X", (FeeTier(None, 1), FeeTier(None, 1)), "incl_tax", 0),
        lambda: FeeSchedule("x", "X", (FeeTier(None, 1),), "gross", 0),
        lambda: FeeSchedule("x", "X", (FeeTier(None, 1),), "incl_tax", -1),
        lambda: FeeTier(0, 1_000),
        lambda: FeeTier(None, 10_001),
    ],
)
def test_malformed_fee_schedules_are_refused(build) -> None:
    with pytest.raises(ValueError):
        build()


@pytest.mark.parametrize(
    ("received", "fee"), [(100_000, 100_000), (1, 1), (0, 0), (987_654_321, 987_654_321)]
)
def test_a_100_percent_rate_takes_everything(received: int, fee: int) -> None:
    assert team_fee(received, 10_000) == fee
    assert (
        fee_for(FeeSchedule("all", "All", (FeeTier(None, 10_000),), "incl_tax", 0), received) == fee
    )
    assert FeeTier(None, 10_000).rate_bp == 10_000
    assert FeeTier(1, 0).upper_bound_yen == 1


@pytest.mark.parametrize("rate", [1_000.0, "1000", Decimal(1_000), True, False, None])
@pytest.mark.parametrize(
    "call",
    [
        lambda rate: team_fee(1_000, rate),
        lambda rate: FeeTier(None, rate),
        lambda rate: FeeSchedule("x", "X", (FeeTier(None, 1_000),), "incl_tax", rate),
    ],
)
def test_rates_must_be_int_basis_points(call, rate) -> None:
    with pytest.raises(TypeError, match="must be an int in basis points, not"):
        call(rate)


@pytest.mark.parametrize(
    "call",
    [
        lambda: consumption_tax(100.0),
        lambda: team_fee(1_000.0, 1_000),
        lambda: fee_for(DEFAULT_FEE_SCHEDULES["lancers"], 100, tax_yen=1.0),
        lambda: distribute(100, [True], [1]),
        lambda: distribute(100, [], [1.0]),
        lambda: allocate(100, [1, False]),
        lambda: FeeTier(100.0, 1_000),
    ],
)
def test_amounts_and_weights_must_be_ints_not_floats_or_bools(call) -> None:
    with pytest.raises(TypeError, match="must be an int"):
        call()


def test_rate_and_bound_refusals_name_the_value() -> None:
    with pytest.raises(ValueError, match=r"rate_bp must be between 0 and 10000 bp \(got 10001\)"):
        team_fee(1, 10_001)
    with pytest.raises(ValueError, match="above ¥0"):
        FeeTier(0, 1)
    with pytest.raises(ValueError, match=r"fee_tax_rate_bp must be between"):
        FeeSchedule("x", "X", (FeeTier(None, 1),), "excl_tax", 10_001)
    assert FeeSchedule("x", "X", (FeeTier(None, 1),), "excl_tax", 10_000).fee_tax_rate_bp == 10_000


@pytest.mark.parametrize(
    ("typed", "bp"),
    [
        ("10", 1_000), ("12.5", 1_250), ("0", 0), ("50", 5_000), ("0.01", 1), (" 7 % ", 700),
        ("１５", 1_500), ("１２．５％", 1_250), (Decimal("3.5"), 350), ("10.00", 1_000),
    ],
)  # fmt: skip
def test_percent_to_bp_reads_what_people_type(typed, bp) -> None:
    assert money.percent_to_bp(typed) == bp


@pytest.mark.parametrize(
    "typed", ["50.01", "-1", "0.005", "abc", "", "51", "1e3", "NaN", "10X", "%"]
)
def test_percent_to_bp_refuses_what_is_not_a_rate_up_to_50_percent(typed) -> None:
    assert money.percent_to_bp(typed) is None


@pytest.mark.parametrize(
    ("bp", "shown"),
    [(1_000, "10"), (1_050, "10.5"), (1_025, "10.25"), (1, "0.01"), (0, "0"), (10_000, "100"),
     (5, "0.05"), (110, "1.1")],
)  # fmt: skip
def test_bp_to_percent_shows_no_trailing_zeros(bp: int, shown: str) -> None:
    assert money.bp_to_percent(bp) == shown
    assert money.percent_to_bp(shown) == (bp if bp <= money.MAX_RATE_BP else None)


def test_a_fee_is_floored_once_over_the_sum_of_its_tiers() -> None:
    one_bp = FeeSchedule("x", "X", (FeeTier(None, 1),), "incl_tax", 0)
    assert [fee_for(one_bp, yen) for yen in (9_999, 10_000, 19_999)] == [0, 1, 1]


@pytest.mark.parametrize("amount", [0, 999_999, 1_000_000, 1_000_001, 2_000_000, 3_333_333])
def test_every_amount_is_a_whole_yen_int(amount: int) -> None:
    schedule = DEFAULT_FEE_SCHEDULES["crowdworks"]
    for value in (
        withholding(amount), consumption_tax(amount), team_fee(amount, 1_021),
        fee_for(schedule, amount), platform_fee("lancers", amount), *allocate(amount, [1, 2]),
    ):  # fmt: skip
        assert type(value) is int


# --- properties --------------------------------------------------------------------------


@given(total=YEN, weights=WEIGHTS)
def test_allocate_sums_exactly_and_stays_within_a_yen(total: int, weights: list[int]) -> None:
    shares = allocate(total, weights)
    assert len(shares) == len(weights)
    assert sum(shares) == total
    for position, share in enumerate(shares):
        exact = exact_share(total, weights, position)
        assert share >= 0
        assert math.floor(exact) <= share <= math.floor(exact) + 1
        assert abs(share - exact) < 1


@given(total=YEN, weights=WEIGHTS)
def test_allocate_matches_largest_remainder_reference(total: int, weights: list[int]) -> None:
    assert allocate(total, weights) == reference_allocate(total, weights)


@given(total=YEN, weights=WEIGHTS)
def test_allocate_equal_weights_favour_the_earlier(total: int, weights: list[int]) -> None:
    shares = allocate(total, weights)
    for i in range(len(weights)):
        for j in range(i + 1, len(weights)):
            if weights[i] == weights[j]:
                assert shares[i] - shares[j] in (0, 1)


@given(total=YEN, weight=st.integers(min_value=1, max_value=1_000), count=st.integers(2, 12))
def test_allocate_equal_weights_front_load_the_extra_yen(
    total: int, weight: int, count: int
) -> None:
    shares = allocate(total, [weight] * count)
    assert shares == sorted(shares, reverse=True)
    assert shares[0] - shares[-1] <= 1


@given(total=YEN, weights=WEIGHTS)
def test_allocate_larger_weight_never_gets_less(total: int, weights: list[int]) -> None:
    shares = allocate(total, weights)
    for i, weight_i in enumerate(weights):
        for j, weight_j in enumerate(weights):
            if weight_i > weight_j:
                assert shares[i] >= shares[j]
            if weight_j == 0:
                assert shares[j] == 0


@given(amount=YEN)
def test_withholding_matches_the_statutory_formula(amount: int) -> None:
    assert withholding(amount) == reference_withholding(amount)


@given(amount=YEN, more=YEN)
def test_withholding_and_net_are_monotonic(amount: int, more: int) -> None:
    larger = amount + more
    assert withholding(amount) <= withholding(larger)
    assert amount - withholding(amount) <= larger - withholding(larger)


@given(amount=YEN)
def test_withholding_is_bounded(amount: int) -> None:
    tax = withholding(amount)
    assert tax >= 0
    assert tax * 10_000 <= amount * 2_042
    assert amount - tax >= 0
    if amount > 0:
        assert tax < amount


@given(platform=st.sampled_from(PLATFORMS), total=YEN, more=YEN)
def test_platform_fee_is_monotonic_and_within_the_total(
    platform: str, total: int, more: int
) -> None:
    fee = platform_fee(platform, total)
    assert 0 <= fee <= total
    assert fee <= platform_fee(platform, total + more)


@given(total=SMALL_YEN)
def test_crowdworks_fee_matches_tier_formula(total: int) -> None:
    parts = (
        Fraction(20, 100) * min(total, 100_000)
        + Fraction(10, 100) * min(max(total - 100_000, 0), 100_000)
        + Fraction(5, 100) * max(total - 200_000, 0)
    )
    fee = math.floor(parts)
    assert platform_fee("crowdworks", total) == fee + math.floor(Fraction(fee, 10))


@given(
    distributable=YEN,
    fixed=st.lists(SMALL_YEN, max_size=6),
    unit_weights=WEIGHTS,
)
def test_distribute_sums_to_distributable(
    distributable: int, fixed: list[int], unit_weights: list[int]
) -> None:
    if sum(fixed) > distributable:
        with pytest.raises(FixedExceedsDistributable):
            distribute(distributable, fixed, unit_weights)
        return
    fixed_shares, unit_shares = distribute(distributable, fixed, unit_weights)
    assert fixed_shares == fixed
    assert sum(fixed_shares) + sum(unit_shares) == distributable
    assert unit_shares == allocate(distributable - sum(fixed), unit_weights)


@given(amount=YEN)
def test_consumption_tax_is_exactly_ten_percent_floored(amount: int) -> None:
    assert consumption_tax(amount) == math.floor(Fraction(amount, 10))


# --- no floats ---------------------------------------------------------------------------


def test_money_module_uses_no_floats() -> None:
    tree = ast.parse(Path(money.__file__).read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        assert not (isinstance(node, ast.Constant) and isinstance(node.value, float | complex))
        assert not (isinstance(node, ast.Name) and node.id in {"float", "round", "math"})
        assert not isinstance(node, ast.Div), f"true division at line {node.lineno}"
        assert not (isinstance(node, ast.AugAssign) and isinstance(node.op, ast.Div))
