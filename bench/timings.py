"""Timed operations: the organisation's outcome report and a month's payout close."""

from __future__ import annotations

from dataclasses import dataclass

from bench import inprocess
from bench.seed import EMAIL
from bench.training_seed import COORDINATOR_PERSON, ORG_SLUG

OUTCOME_TARGET_MS = 300
CLOSE_TARGET_MS = 10_000  # issue 25: < 10 s for 100,000 approved assignments, plain foreign keys
MONTH_CLOSE_TARGET_MS = 1_000  # and < 1 s for a realistic month of 5,000


@dataclass(frozen=True)
class Timed:
    name: str
    title: str
    ms: float
    target_ms: float
    detail: str = ""

    @property
    def met(self) -> bool:
        return self.ms < self.target_ms


def outcome_report(app) -> Timed:
    email = EMAIL.format(id=COORDINATOR_PERSON)
    ms = inprocess.page_ms(app, email, f"/orgs/{ORG_SLUG}/outcomes", runs=7)
    return Timed(
        "org_outcomes",
        "Outcome report of the organisation (10,000 trainees), whole page",
        ms,
        OUTCOME_TARGET_MS,
        "median of 7 warm requests through the test client",
    )


def measure(url: str, instance: str, with_earnings: bool) -> list[Timed]:
    app = inprocess.make_app(url, instance)
    results = [outcome_report(app)]
    if with_earnings:
        from bench import close_timing

        results.append(close_timing.time_close(app))
        results.append(close_timing.time_close(app, close_timing.MONTH_JOBS, MONTH_CLOSE_TARGET_MS))
    return results
