"""The suggested split: a pure rule over the team's candidates, and why each got what.

A member may be suggested work when they hold the job's required skills and have room before its
deadline (what they declared for the days left, less the work they already owe). Each such
member's part follows a weight: their room, times their record, ``100 + standing`` (standing:
the mean of their completion and on-time rates, 0 to 100, or the target when they have no
history yet), so room decides and a steady record moves a part by up to half again. No part
exceeds its member's room while the team has room enough; when it has not, every room is filled
and the rest is spread by the same weights, over capacity, for the director to decide (an
override with its reason, or units kept). Whole units, summing exactly to the units asked for,
the odd ones by the largest remainder (``money.allocate``), ties to the steadier record, then the
larger room.

Nothing here reads the database or Flask: ``plan`` is a function of its arguments.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from teamhub import money
from teamhub.assignments.reliability import COMPLETION_TARGET, Reliability

# The standing of a member with nothing measured yet: the target, neither favoured nor held back.
NEW_MEMBER_STANDING = COMPLETION_TARGET


@dataclass(frozen=True)
class Candidate:
    """A member as the director sees them when splitting a job."""

    membership_id: int
    name: str
    capacity: int | None  # units they can do before the job's deadline; None: not declared
    committed: int  # units already owed on other jobs due by then
    skills: tuple[str, ...]  # sorted
    missing_skills: tuple[str, ...]
    reliability: Reliability
    days_away: int

    @property
    def room(self) -> int:
        return max(0, (self.capacity or 0) - self.committed)

    @property
    def eligible(self) -> bool:
        return not self.missing_skills and self.room > 0

    @property
    def standing(self) -> int | None:
        """The mean of the completion and on-time rates measured (None: nothing measured)."""
        rates = [r.percent for r in (self.reliability.completion, self.reliability.on_time)]
        known = [p for p in rates if p is not None]
        return sum(known) // len(known) if known else None

    @property
    def weight(self) -> int:
        standing = self.standing
        return self.room * (100 + (NEW_MEMBER_STANDING if standing is None else standing))


# Why a member got what they got.
SHARE = "share"  # a part within their room
OVER = "over"  # a part beyond their room: the team has too little room
RAN_OUT = "ran_out"  # eligible, but the units went to members with more weight
LACKS_SKILLS = "lacks_skills"
NOT_DECLARED = "not_declared"  # no capacity declared
NO_ROOM = "no_room"


class Part(NamedTuple):
    candidate: Candidate
    units: int
    why: str

    @property
    def over_room(self) -> int:
        return max(0, self.units - self.candidate.room)


def _order(candidate: Candidate) -> tuple:
    standing = candidate.standing
    standing = NEW_MEMBER_STANDING if standing is None else standing
    return (-standing, -candidate.room, candidate.membership_id)


def _within_room(units: int, eligible: list[Candidate]) -> tuple[dict[int, int], int]:
    """Parts by weight, each at most its room (members whose part would pass their room get
    exactly their room, and the rest is spread again over the others); the units left over."""
    given = dict.fromkeys((c.membership_id for c in eligible), 0)
    active, remaining = list(eligible), units
    while remaining > 0 and active:
        parts = money.allocate(remaining, [c.weight for c in active])
        full = [c for c, part in zip(active, parts, strict=True) if part > c.room]
        if not full:
            for c, part in zip(active, parts, strict=True):
                given[c.membership_id] = part
            return given, 0
        for c in full:
            given[c.membership_id] = c.room
            remaining -= c.room
        filled = {c.membership_id for c in full}
        active = [c for c in active if c.membership_id not in filled]
    return given, remaining


def _why(candidate: Candidate, units: int) -> str:
    if candidate.missing_skills:
        return LACKS_SKILLS
    if candidate.capacity is None:
        return NOT_DECLARED
    if candidate.room == 0:
        return NO_ROOM
    if units > candidate.room:
        return OVER
    return SHARE if units else RAN_OUT


def plan(units: int, pool: Sequence[Candidate]) -> list[Part]:
    """Each candidate's part of ``units`` and why, in the pool's order (nobody gets anything
    when no one is eligible)."""
    eligible = sorted((c for c in pool if c.eligible), key=_order)
    given, left = _within_room(max(0, units), eligible)
    if left and eligible:  # every room is full: the rest by the same weights, over capacity
        weights = [c.weight for c in eligible]
        for c, extra in zip(eligible, money.allocate(left, weights), strict=True):
            given[c.membership_id] += extra
    parts = [given.get(c.membership_id, 0) for c in pool]
    return [Part(c, n, _why(c, n)) for c, n in zip(pool, parts, strict=True)]


def suggest(units: int, pool: Sequence[Candidate]) -> dict[int, int]:
    """The suggested units by membership id (members given none left out)."""
    return {p.candidate.membership_id: p.units for p in plan(units, pool) if p.units > 0}
