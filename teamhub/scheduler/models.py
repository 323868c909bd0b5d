"""The scheduler's records: who leads (the lease) and which task ran for which period."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from teamhub.clock import UTCDateTime, utcnow
from teamhub.extensions import db


class SchedulerLease(db.Model):
    """Who leads the scheduler: the holder renews ``expires_at``; others wait for it to lapse."""

    __tablename__ = "scheduler_lease"

    name: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    holder: Mapped[str] = mapped_column(sa.String(120))
    acquired_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # When the holder last renewed it (the operator's health page shows it); None before 0018.
    renewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class JobRun(db.Model):
    """One run of a scheduled job for one period; the unique key stops a second run."""

    __tablename__ = "job_run"
    __table_args__ = (
        sa.UniqueConstraint("job", "period"),
        sa.CheckConstraint("outcome IN ('running', 'ok', 'failed')", name="outcome_known"),
        sa.Index("ix_job_run_job_started", "job", "started_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(sa.String(40))
    period: Mapped[str] = mapped_column(sa.String(40))
    runner: Mapped[str] = mapped_column(sa.String(120))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[str] = mapped_column(sa.String(10), default="running")
    # {"total": n, "teams": {"<team id>": n}, "error": "…"}
    counts: Mapped[dict] = mapped_column(sa.JSON, default=dict)

    def done_for(self, team_id: int) -> int:
        return int((self.counts or {}).get("teams", {}).get(str(team_id), 0))
