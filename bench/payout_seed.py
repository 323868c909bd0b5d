"""Two years of monthly closes for every regular team: closes, closed jobs, ledger entries.

The amounts come from the app's own rules (``payouts.services.settle`` and ``money``), so the
seeded statements are the ones the app would have posted. The big team's month stays open:
the close timing closes it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from types import SimpleNamespace

from bench import names
from bench.seed import World, close_month
from bench.work_seed import JobPlan, job_assignments
from teamhub import money
from teamhub.payouts import services
from teamhub.teams.models import WITHHOLDING_PAYER_TYPES

PAID_AFTER_DAYS = 10


@dataclass
class CloseRows:
    closes: list[dict] = field(default_factory=list)
    closed_jobs: list[dict] = field(default_factory=list)
    entries: list[dict] = field(default_factory=list)


def _month_end(day: date) -> date:
    first_next = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return first_next - timedelta(days=1)


def _team(world: World, team_id: int) -> SimpleNamespace:
    payer_type = world.payer_types[team_id]
    return SimpleNamespace(
        fee_rate_bp=1000, payer_type=payer_type, withholds=payer_type in WITHHOLDING_PAYER_TYPES
    )


def _job(plan: JobPlan, received: tuple[int, date]) -> SimpleNamespace:
    return SimpleNamespace(
        id=plan.id, title="", received_yen=received[0], received_on=received[1], team_fee_bp=None,
        kept_units=40 - plan.units_each * len(plan.members), category="writing",
        reentrustment=False,
    )  # fmt: skip


def _approved(plan: JobPlan, now: datetime) -> list[SimpleNamespace]:
    """The job's approved work as ``settle`` reads it (``services.ApprovedWork``'s fields)."""
    return [
        SimpleNamespace(**row, received_at=row["first_submitted_at"] or row["approved_at"])
        for row in job_assignments(plan, now)
        if row["state"] == "approved"
    ]


def closable(world: World) -> dict[tuple[int, date], list[JobPlan]]:
    """Jobs by (team, month end) for the regular teams' closes up to the last complete month."""
    last = close_month(world.now)[1]
    groups: dict[tuple[int, date], list[JobPlan]] = defaultdict(list)
    for plan in world.job_plans:
        received = world.receipts.get(plan.id)
        if plan.big or received is None or received[1] > last:
            continue
        groups[(plan.team.id, _month_end(received[1]))].append(plan)
    return groups


class Ledger:
    """Posts entries the way ``payouts.services.closes._post`` does, with ids given in order."""

    def __init__(self, rows: CloseRows):
        self.rows, self.next_id = rows, 1

    def entry(self, close: dict, job_id: int, account: str, amount: int, **refs) -> None:
        self.rows.entries.append(
            {"id": self.next_id, "team_id": close["team_id"], "close_id": close["id"],
             "job_id": job_id, "account": account, "amount_yen": amount, "units": 0,
             "assignment_id": None, "membership_id": None, "payment_due_on": None,
             "reverses_id": None, "kind": "", "note": "", "created_by_id": None,
             "created_at": close["confirmed_at"], **refs}
        )  # fmt: skip
        self.next_id += 1


def _post_close(ledger: Ledger, close: dict, settlements: list) -> None:
    gross: dict[int, int] = defaultdict(int)
    first_job: dict[int, int] = {}
    for s in settlements:
        ledger.rows.closed_jobs.append(
            {"id": len(ledger.rows.closed_jobs) + 1, "close_id": close["id"], "job_id": s.job.id,
             "team_id": close["team_id"]}
        )  # fmt: skip
        ledger.entry(close, s.job.id, "received", s.received_yen)
        ledger.entry(close, s.job.id, "team_fee", -s.team_fee_yen)
        for share in s.shares:
            a = share.assignment
            ledger.entry(close, s.job.id, "member", -share.gross_yen, assignment_id=a.id,
                         membership_id=a.membership_id, units=a.units,
                         payment_due_on=share.payment_due_on, kind="share")  # fmt: skip
            if share.withholding_applies:
                gross[a.membership_id] += share.gross_yen
            first_job.setdefault(a.membership_id, s.job.id)
        if s.retained_yen:
            ledger.entry(close, s.job.id, "retained", -s.retained_yen)
    for membership_id, amount in sorted(gross.items()):
        withheld = money.withholding(amount)
        if withheld:
            refs = {"membership_id": membership_id, "kind": "withholding"}
            ledger.entry(close, first_job[membership_id], "member", withheld, **refs)
            ledger.entry(close, first_job[membership_id], "tax_office", -withheld, **refs)


def build(world: World) -> CloseRows:
    rows = CloseRows()
    ledger = Ledger(rows)
    today = world.now.astimezone(names.JST).date()
    close_id = 0
    for (team_id, period_end), plans in sorted(closable(world).items()):
        team = _team(world, team_id)
        settlements = [
            services.settle(team, _job(p, world.receipts[p.id]), approved, period_end)
            for p in plans
            if (approved := _approved(p, world.now))
        ]
        if not settlements:
            continue
        close_id += 1
        paid_on = period_end + timedelta(days=PAID_AFTER_DAYS)
        confirmed = datetime(period_end.year, period_end.month, period_end.day, tzinfo=names.JST)
        close = {
            "id": close_id, "team_id": team_id, "period_start": period_end.replace(day=1),
            "period_end": period_end, "status": "paid" if paid_on < today else "confirmed",
            "confirmed_at": confirmed + timedelta(days=1),
            "confirmed_by_id": plans[0].team.director_person,
            "paid_on": paid_on if paid_on < today else None,
            "marked_paid_at": confirmed + timedelta(days=PAID_AFTER_DAYS + 1)
            if paid_on < today else None,
        }  # fmt: skip
        rows.closes.append(close)
        _post_close(ledger, close, settlements)
    return rows


def _iter(rows: list[dict]) -> Iterator[dict]:
    yield from rows


def seed_payouts(writer, world: World) -> None:
    rows = build(world)
    writer.write("payout_close", _iter(rows.closes), len(rows.closes))
    writer.write("closed_job", _iter(rows.closed_jobs), len(rows.closed_jobs))
    writer.write("ledger_entry", _iter(rows.entries), len(rows.entries))
    if "paid_day" in writer.meta.tables:
        summarise_paid_days(writer.sink)


def summarise_paid_days(sink) -> None:
    """Fill the paid-day summary from the seeded ledger with the query the app rebuilds it by."""
    import sqlalchemy as sa
    from sqlalchemy.dialects import postgresql, sqlite

    from teamhub.auth.models import Person
    from teamhub.payouts.models import FirstPaidDay, PaidDay
    from teamhub.payouts.queries import first_paid_per_person, net_paid_per_day

    days = sa.insert(PaidDay).from_select(
        ["person_id", "paid_on", "net_yen"], net_paid_per_day(sa.select(Person.id))
    )
    firsts = sa.insert(FirstPaidDay).from_select(
        ["person_id", "paid_on"], first_paid_per_person(sa.select(Person.id))
    )
    dialect = postgresql.dialect() if sink.dialect == "postgresql" else sqlite.dialect()
    print("paid_day            : summarised from the ledger in SQL")
    for statement in (days, firsts):
        sql = statement.compile(dialect=dialect, compile_kwargs={"literal_binds": True})
        sink.execute(str(sql))
