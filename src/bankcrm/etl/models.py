"""Job monitor (ETL-8): every load run and every file in it, in the operational store."""

from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal

from sqlalchemy import BigInteger, Enum, ForeignKey, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bankcrm.db import Base


class RunStatus(enum.StrEnum):
    running = "running"
    published = "published"
    failed = "failed"


class EtlRun(Base):
    __tablename__ = "etl_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    business_date: Mapped[str] = mapped_column(String(8), index=True)
    status: Mapped[RunStatus] = mapped_column(Enum(RunStatus, native_enum=False, length=16))
    message: Mapped[str | None] = mapped_column(Text)
    failed_feed: Mapped[str | None] = mapped_column(String(32))
    actor_username: Mapped[str] = mapped_column(String(64))
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    seconds: Mapped[float | None]
    rows_received: Mapped[int] = mapped_column(BigInteger, default=0)
    rows_accepted: Mapped[int] = mapped_column(BigInteger, default=0)
    rows_rejected: Mapped[int] = mapped_column(BigInteger, default=0)
    replaced: Mapped[bool] = mapped_column(default=False)


class EtlRunFile(Base):
    __tablename__ = "etl_run_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("etl_run.id", ondelete="CASCADE"), index=True)
    feed: Mapped[str] = mapped_column(String(32))
    file_name: Mapped[str] = mapped_column(String(100))
    received: Mapped[int] = mapped_column(BigInteger)
    accepted: Mapped[int] = mapped_column(BigInteger)
    rejected: Mapped[int] = mapped_column(BigInteger)
    amount_total: Mapped[Decimal] = mapped_column(Numeric(20, 2))
    seconds: Mapped[float]
