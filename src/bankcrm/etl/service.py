"""Running a load with its job record: the run is visible (running) from its start, and ends
published or failed with the reason, per-file counts and durations."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from bankcrm.auth import audit
from bankcrm.auth.principal import Actor
from bankcrm.clock import Clock
from bankcrm.etl import snapshot
from bankcrm.etl.identity import Resolution, holder_feeds, resolve
from bankcrm.etl.layouts import FEEDS, Feed
from bankcrm.etl.loader import FileResult, LoadFailed, latest_published, load_date
from bankcrm.etl.models import EtlRun, EtlRunFile, RunStatus
from bankcrm.warehouse import Warehouse


def start_run(db: Session, business_date: str, *, actor: Actor, clock: Clock) -> EtlRun:
    """The run's record, visible as ``running`` from now on (the caller commits)."""
    run = EtlRun(
        business_date=business_date, status=RunStatus.running, actor_username=actor.username, started_at=clock.now()
    )
    db.add(run)
    db.flush()
    return run


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
        result = load_date(wh, in_dir, business_date, feeds, on_file=seen)
        replaced = result.replaced
        if {f.code for f in feeds} >= {f.code for f, _ in holder_feeds()}:
            with factory() as db:
                resolution = resolve(db, wh, business_date, now=clock.now())
                db.commit()
                snapshot.export_links(db, wh)
            snapshot.build(wh, latest_published(wh) or business_date)
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
