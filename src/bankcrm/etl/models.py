"""Job monitor (ETL-8): every load run and every file in it, in the operational store."""

from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, BigInteger, Enum, ForeignKey, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bankcrm.db import Base


class RunStatus(enum.StrEnum):
    queued = "queued"
    """Handed to the running server by ``bankcrm etl load`` (the server holds the DuckDB file)."""
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
    source_dir: Mapped[str | None] = mapped_column(String(500))
    """The folder a queued run reads (given on the command line); None for loads from the inbox."""
    started_at: Mapped[datetime]
    holder: Mapped[str | None] = mapped_column(String(120))
    """The process running the load, ``host:pid:start`` (see ``etl.service.this_holder``)."""
    heartbeat_at: Mapped[datetime | None]
    """Renewed while the holder is alive; a run from another host is dead once it is older than the lease."""
    finished_at: Mapped[datetime | None]
    seconds: Mapped[float | None]
    rows_received: Mapped[int] = mapped_column(BigInteger, default=0)
    rows_accepted: Mapped[int] = mapped_column(BigInteger, default=0)
    rows_rejected: Mapped[int] = mapped_column(BigInteger, default=0)
    replaced: Mapped[bool] = mapped_column(default=False)
    customers_created: Mapped[int] = mapped_column(default=0)
    links_created: Mapped[int] = mapped_column(default=0)
    dq_issues: Mapped[int] = mapped_column(default=0)
    customers_updated: Mapped[int] = mapped_column(default=0)
    """Existing customers the load changed: those standing at head office for lack of an org mapping
    that moved to the org their source code maps to now."""
    accounts_unmapped: Mapped[int] = mapped_column(BigInteger, default=0)
    """Source accounts of the date whose org code maps to no org of the tree (their holders stand at
    head office until it is mapped)."""
    links_review: Mapped[int] = mapped_column(default=0)
    """Links sent to staff for review: same-name matches under another ID, accounts naming another holder."""


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


class DqStatus(enum.StrEnum):
    open = "open"
    resolved = "resolved"
    dismissed = "dismissed"


class DqIssue(Base):
    """Data quality (ETL-6): conflicts and doubtful records for staff to repair.

    Kinds: ``id_name_conflict`` (one ID number, several names), ``name_match_review`` (a new customer
    whose name and org match an existing customer under another ID: never merged automatically),
    ``link_changed`` (a source account now names another holder), ``unmapped_org`` (a source org code
    with no place in the tree)."""

    __tablename__ = "dq_issue"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    key: Mapped[str] = mapped_column(String(120), index=True)
    """What the issue is about, so that it is raised once while open (e.g. ``101:<id>``)."""
    business_date: Mapped[str] = mapped_column(String(8))
    system: Mapped[str | None] = mapped_column(String(16))
    ref: Mapped[str | None] = mapped_column(String(40))
    id_type: Mapped[str | None] = mapped_column(String(8))
    id_no: Mapped[str | None] = mapped_column(String(32))
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customer.id", ondelete="SET NULL"))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[DqStatus] = mapped_column(Enum(DqStatus, native_enum=False, length=16), default=DqStatus.open)
    created_at: Mapped[datetime]
    resolved_at: Mapped[datetime | None]
    resolved_by: Mapped[str | None] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(String(500))
