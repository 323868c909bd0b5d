"""Payout closes: preview, confirm, the closes, statements (JSON and CSV), mark paid."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from teamhub.api.base import ID, args, body, bp, header, operation, person
from teamhub.api.forms import filled
from teamhub.api.schemas import Body, Id, Text
from teamhub.downloads import csv_download
from teamhub.payouts import queries, services
from teamhub.payouts.forms import CorrectionForm, PaidForm
from teamhub.payouts.models import PayoutClose
from teamhub.teams.queries import team_access

CLOSES = "/teams/<slug>/payouts"
CLOSE = f"{CLOSES}/<{ID}:close_id>"
STATEMENT = f"{CLOSE}/statements/<{ID}:membership_id>"
ATTACHMENT = {"Content-Disposition": header('attachment; filename="statement-….csv"')}


class PeriodQuery(BaseModel):
    period_end: date = Field(description="The last day of a payout period.")


class PeriodBody(Body):
    period_end: date = Field(description="The last day of a payout period.")


class PaidBody(Body):
    paid_on: date


class CorrectionBody(Body):
    entry_id: Id = Field(description="The statement's line to correct (`lines[].entry_id`).")
    gross_yen: int = Field(description="The line's right pay, whole yen.")
    reason: Text = Field(description="Why; the member sees it.")


class Totals(BaseModel):
    received_yen: int
    team_fee_yen: int
    distributed_yen: int
    withheld_yen: int
    retained_yen: int


class StatementSummary(BaseModel):
    membership_id: int
    name: str
    gross_yen: int
    withheld_yen: int
    net_yen: int
    payment_due_on: date | None


class PreviewOut(Totals):
    period_start: date
    period_end: date
    withholding_due_on: date
    statements: list[StatementSummary]


class CloseOut(BaseModel):
    id: int
    period_start: date
    period_end: date
    status: str
    paid_on: date | None
    totals: Totals | None = Field(None, description="In the answer about one close.")


class CloseList(BaseModel):
    items: list[CloseOut]


class LineOut(BaseModel):
    entry_id: int
    job_title: str
    units: int
    gross_yen: int
    payment_due_on: date | None
    note: str
    reversal: bool
    reversed: bool


class StatementOut(StatementSummary):
    close_id: int
    period_end: date
    lines: list[LineOut]


def _close_out(close: PayoutClose, with_totals: bool = False) -> CloseOut:
    totals = None
    if with_totals:
        found = queries.summary(close)
        totals = Totals(**{k: getattr(found, k) for k in Totals.model_fields})
    return CloseOut(
        id=close.id, period_start=close.period_start, period_end=close.period_end,
        status=close.status, paid_on=close.paid_on, totals=totals,
    )  # fmt: skip


@bp.get(f"{CLOSES}/preview")
@operation(PreviewOut, query=PeriodQuery, tag="payouts", errors=(409,))
def preview_close(slug):
    """The close of a period as it would be posted; nothing is written."""
    access = team_access(slug, person(), need="director")
    preview = services.preview_close(access.team, request_period())
    return PreviewOut(
        period_start=preview.period_start, period_end=preview.period_end,
        withholding_due_on=preview.withholding_due_on, received_yen=preview.received_yen,
        team_fee_yen=preview.team_fee_yen, distributed_yen=preview.distributed_yen,
        withheld_yen=preview.withheld_yen, retained_yen=preview.retained_yen,
        statements=[
            StatementSummary(
                membership_id=s.membership.id, name=s.membership.person.display_name,
                gross_yen=s.gross_yen, withheld_yen=s.withheld_yen, net_yen=s.net_yen,
                payment_due_on=s.payment_due_on,
            )
            for s in preview.statements
        ],
    )  # fmt: skip


def request_period() -> date:
    return args().period_end


@bp.post(CLOSES)
@operation(CloseOut, status=201, json=PeriodBody, tag="payouts", errors=(409,))
def confirm_close(slug):
    """Post the close of a period: once per team and period, whatever retries do."""
    access = team_access(slug, person(), need="director")
    close = services.confirm_close(access.team, body().period_end, person())
    return _close_out(close, with_totals=True), 201


@bp.get(CLOSES)
@operation(CloseList, tag="payouts")
def list_closes(slug):
    """The team's closes, the latest period first."""
    access = team_access(slug, person(), need="director")
    return CloseList(items=[_close_out(c) for c in queries.closes_of(access.team)])


@bp.get(CLOSE)
@operation(CloseOut, tag="payouts")
def get_close(slug, close_id):
    access = team_access(slug, person(), need="director")
    return _close_out(queries.team_close(access.team, close_id), with_totals=True)


@bp.post(f"{CLOSE}/paid")
@operation(CloseOut, json=PaidBody, tag="payouts", errors=(409,))
def mark_close_paid(slug, close_id):
    """The director paid the members: the close is marked paid on that day."""
    access = team_access(slug, person(), need="director")
    close = queries.team_close(access.team, close_id)
    form = filled(PaidForm, body())
    services.mark_paid(close, form.paid_on.data)
    return _close_out(close, with_totals=True)


def _statement_out(s: queries.Statement) -> StatementOut:
    return StatementOut(
        close_id=s.close.id, period_end=s.close.period_end, membership_id=s.membership.id,
        name=s.membership.person.display_name, gross_yen=s.gross_yen,
        withheld_yen=s.withheld_yen, net_yen=s.net_yen, payment_due_on=s.payment_due_on,
        lines=[LineOut(**vars(line)) for line in s.lines],
    )  # fmt: skip


@bp.get(STATEMENT)
@operation(StatementOut, tag="payouts")
def get_statement(slug, close_id, membership_id):
    """One member's statement in a close: for that member, or a director."""
    found = queries.visible_statement(team_access(slug, person()), close_id, membership_id)
    return _statement_out(found)


@bp.get(f"{STATEMENT}.csv")
@operation(tag="payouts", media="text/csv", headers=ATTACHMENT)
def get_statement_csv(slug, close_id, membership_id):
    """The statement as the page's CSV for Excel (UTF-8 with a BOM): for that member, or a
    director."""
    found = queries.visible_statement(team_access(slug, person()), close_id, membership_id)
    return csv_download(queries.statement_csv(found), queries.statement_csv_name(found))


@bp.post(f"{STATEMENT}/corrections")
@operation(StatementOut, status=201, json=CorrectionBody, tag="payouts", errors=(409,))
def correct_statement_line(slug, close_id, membership_id):
    """Correct a line of a posted statement: it is reversed and the right pay posted, never
    edited; withholding is worked out again (directors)."""
    access = team_access(slug, person(), need="director")
    found = queries.team_statement(access.team, close_id, membership_id)
    form = filled(CorrectionForm, body())
    services.correct_share(
        access.team, found.close, form.entry_id.data, form.gross_yen.data,
        form.reason.data, person(), membership_id=membership_id,
    )  # fmt: skip
    return _statement_out(queries.team_statement(access.team, close_id, membership_id)), 201
