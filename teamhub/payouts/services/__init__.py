"""Payouts: what the team received, the team fee, members' shares, withholding, closes, ledger.

A close is computed from approved work on jobs whose money was received, then posted to the
append-only ledger once per team and period; statements are read back from the ledger
(``payouts.queries``). The services live by topic in this package's modules; callers use them
from here.
"""

from teamhub.payouts.services.closes import (
    NothingToClose,
    confirm_close,
    find_close,
    mark_paid,
    preview_close,
    refresh_paid_days,
)
from teamhub.payouts.services.corrections import correct_share
from teamhub.payouts.services.fee_schedules import (
    fee_schedule,
    fee_schedules,
    parse_tiers,
    tiers_text,
    update_fee_schedule,
)
from teamhub.payouts.services.receipts import (
    ReceiptEstimate,
    estimate_receipt,
    estimated_received,
    record_receipt,
)
from teamhub.payouts.services.settlement import (
    ApprovedWork,
    ClosePreview,
    Settlement,
    Share,
    StatementPreview,
    settle,
)

__all__ = [
    "ApprovedWork",
    "ClosePreview",
    "NothingToClose",
    "ReceiptEstimate",
    "Settlement",
    "Share",
    "StatementPreview",
    "confirm_close",
    "correct_share",
    "estimate_receipt",
    "estimated_received",
    "fee_schedule",
    "fee_schedules",
    "find_close",
    "mark_paid",
    "parse_tiers",
    "preview_close",
    "record_receipt",
    "refresh_paid_days",
    "settle",
    "tiers_text",
    "update_fee_schedule",
]
