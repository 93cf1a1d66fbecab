"""Running a load with its job record: the run is visible (running) from its start, and ends
published or failed with the reason, per-file counts and durations."""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from bankcrm.auth import audit
from bankcrm.auth.principal import Actor
from bankcrm.clock import Clock
from bankcrm.customers import tiers
from bankcrm.db import refresh_statistics
from bankcrm.etl import snapshot
from bankcrm.etl.identity import Resolution, holder_feeds, resolve
from bankcrm.etl.layouts import FEEDS, Feed
from bankcrm.etl.loader import FileResult, LoadFailed, latest_published, load_date
from bankcrm.etl.models import EtlRun, EtlRunFile, RunStatus
from bankcrm.orgs.service import require_tree_for_load
from bankcrm.system.params import get_int
from bankcrm.warehouse import Warehouse

# The operational tables a load changes in bulk (identity resolution, tiers).
BULK_CHANGED = ("customer", "account_link", "customer_tier_change", "dq_issue", "org_mapping")

log = logging.getLogger("bankcrm.etl")


def start_run(db: Session, business_date: str, *, actor: Actor, clock: Clock) -> EtlRun:
    """The run's record, visible as ``running`` from now on (the caller commits)."""
    run = EtlRun(
        business_date=business_date, status=RunStatus.running, actor_username=actor.username, started_at=clock.now()
    )
    db.add(run)
    db.flush()
    return run


def queue_run(db: Session, business_date: str, in_dir: Path, *, actor: Actor, clock: Clock) -> EtlRun:
    """Hand a load to the running server (which holds the embedded warehouse): the run waits as
    ``queued`` until the server claims it (the caller commits)."""
    run = EtlRun(
        business_date=business_date,
        status=RunStatus.queued,
        actor_username=actor.username,
        started_at=clock.now(),
        source_dir=str(in_dir.resolve()),
    )
    db.add(run)
    db.flush()
    audit.append(
        db,
        actor,
        "etl.load.queue",
        at=clock.now(),
        target_type="etl_run",
        target_id=run.id,
        detail={"business_date": business_date},
    )
    return run


def claim_queued(factory: sessionmaker[Session], clock: Clock) -> tuple[int, str, Path, Actor] | None:
    """Take the oldest queued run (one claimer wins: the status changes only from ``queued``)."""
    with factory() as db:
        run_id = db.scalar(select(EtlRun.id).where(EtlRun.status == RunStatus.queued).order_by(EtlRun.id).limit(1))
        if run_id is None:
            return None
        claimed = db.execute(
            update(EtlRun)
            .where(EtlRun.id == run_id, EtlRun.status == RunStatus.queued)
            .values(status=RunStatus.running, started_at=clock.now())
        )
        db.commit()
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
            return None
        run = db.get(EtlRun, run_id)
        assert run is not None and run.source_dir is not None
        return run.id, run.business_date, Path(run.source_dir), Actor(user_id=None, username=run.actor_username)


def refresh_snapshot(app: Any) -> None:
    """After staff change links (merge, relink, attach, un-assign), customer totals follow: the links
    are exported again and the snapshot rebuilt, in the server's job runner."""

    def job() -> object:
        wh = app.state.warehouse()
        with app.state.sessionmaker() as db:
            snapshot.export_links(db, wh)
            days = get_int(db, "customer.recent_txn_days")
        latest = latest_published(wh)
        return snapshot.build(wh, latest, txn_days=days) if latest else 0

    app.state.jobs.submit("snapshot.refresh", job)


def serve_queue(
    factory: sessionmaker[Session],
    warehouse: Callable[[], Warehouse],
    submit: Callable[[str, Callable[[], object]], object],
    clock: Clock,
    stop: threading.Event,
    every: float = 2.0,
) -> None:
    """The server's side of the hand-off: claim queued runs and run them in the job runner."""
    while not stop.wait(every):
        try:
            claimed = claim_queued(factory, clock)
        except Exception:
            log.exception("claiming queued loads failed")
            continue
        if claimed is None:
            continue
        run_id, business_date, folder, actor = claimed
        job = functools.partial(_run_claimed, factory, warehouse, folder, business_date, actor, clock, run_id)
        submit(f"etl.load {business_date} (queued)", job)


def _run_claimed(
    factory: sessionmaker[Session],
    warehouse: Callable[[], Warehouse],
    folder: Path,
    business_date: str,
    actor: Actor,
    clock: Clock,
    run_id: int,
) -> EtlRun:
    return run_load(factory, warehouse(), folder, business_date, actor=actor, clock=clock, run_id=run_id)


def run_load(
    factory: sessionmaker[Session],
    wh: Warehouse,
    in_dir: Path,
    business_date: str,
    *,
    actor: Actor,
    clock: Clock,
    feeds: list[Feed] | None = None,
    on_file: Callable[[FileResult], None] | None = None,
    run_id: int | None = None,
) -> EtlRun:
    feeds = feeds or list(FEEDS)
    if run_id is None:
        with factory() as db:
            run_id = start_run(db, business_date, actor=actor, clock=clock).id
            db.commit()
    status, message, failed_feed = RunStatus.published, None, None
    files: list[FileResult] = []
    replaced = False

    def seen(fr: FileResult) -> None:
        files.append(fr)
        if on_file:
            on_file(fr)

    resolution: Resolution | None = None
    try:
        require_tree_for_load(factory)
        result = load_date(wh, in_dir, business_date, feeds, on_file=seen)
        replaced = result.replaced
        if {f.code for f in feeds} >= {f.code for f, _ in holder_feeds()}:
            with factory() as db:
                resolution = resolve(db, wh, business_date, now=clock.now())
                db.commit()
                snapshot.export_links(db, wh)
                days = get_int(db, "customer.recent_txn_days")
            latest = latest_published(wh) or business_date
            snapshot.build(wh, latest, txn_days=days)
            with factory() as db:
                tiers.recompute(db, wh, latest, now=clock.now())
                db.commit()
            _refresh_statistics(factory)
    except LoadFailed as e:
        status, message, failed_feed = RunStatus.failed, e.message, e.feed
    except Exception as e:  # recorded, then re-raised: a bug must not leave a run "running" forever
        with factory() as db:
            _finish(db, run_id, RunStatus.failed, f"internal error: {type(e).__name__}", None, files, False, clock)
        raise
    with factory() as db:
        return _finish(
            db, run_id, status, message, failed_feed, files, replaced, clock, actor=actor, resolution=resolution
        )


def _refresh_statistics(factory: sessionmaker[Session]) -> None:
    """Best effort: the load is committed and published; stale statistics only slow queries down."""
    with factory() as db:
        try:
            refresh_statistics(db, BULK_CHANGED)
        except Exception:
            db.rollback()
            log.warning("refreshing planner statistics after the load failed", exc_info=True)


def _finish(
    db: Session,
    run_id: int,
    status: RunStatus,
    message: str | None,
    failed_feed: str | None,
    files: list[FileResult],
    replaced: bool,
    clock: Clock,
    actor: Actor | None = None,
    resolution: Resolution | None = None,
) -> EtlRun:
    run = db.get(EtlRun, run_id)
    assert run is not None
    now = clock.now()
    run.status, run.message, run.failed_feed, run.replaced = status, message, failed_feed, replaced
    run.finished_at = now
    run.seconds = (now - run.started_at).total_seconds()
    run.rows_received = sum(f.received for f in files)
    run.rows_accepted = sum(f.accepted for f in files)
    run.rows_rejected = sum(f.rejected for f in files)
    if resolution is not None:
        run.customers_created = resolution.customers_created
        run.links_created = resolution.links_created
        run.dq_issues = resolution.issues_raised
    for f in files:
        db.add(
            EtlRunFile(
                run_id=run.id,
                feed=f.feed,
                file_name=f.file_name,
                received=f.received,
                accepted=f.accepted,
                rejected=f.rejected,
                amount_total=f.amount_total,
                seconds=f.seconds,
            )
        )
    if actor is not None:
        audit.append(
            db,
            actor,
            f"etl.load.{status.value}",
            at=now,
            target_type="etl_run",
            target_id=run.id,
            detail={
                "business_date": run.business_date,
                "accepted": run.rows_accepted,
                "rejected": run.rows_rejected,
                "message": message,
            },
        )
    db.commit()
    db.refresh(run)
    return run
