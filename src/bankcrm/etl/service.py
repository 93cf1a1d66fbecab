"""Running a load with its job record: the run is visible (running) from its start, and ends
published or failed with the reason, per-file counts and durations.

The warehouse and the operational store are different databases, so a run's end cannot be written in
the transaction that publishes its date. The order makes a crash between them repairable: the
publishing transaction records the run id and the files' counts in the warehouse
(``etl_published.run_id``, ``etl_published_file``), and a running run names its holder process and
renews a heartbeat. A run whose holder is gone (its process is no longer alive on this host, or its
heartbeat is older than the lease) is ended by ``end_dead_runs`` with the truth read from the
warehouse: published with the published counts, or failed with nothing published. The next load
attempt, the server's start (its queue poller) and the run list call it.
"""

from __future__ import annotations

import functools
import logging
import os
import socket
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, delete, select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from bankcrm.auth import audit
from bankcrm.auth.audit import SYSTEM_ACTOR
from bankcrm.auth.principal import Actor
from bankcrm.clock import Clock
from bankcrm.customers import tiers
from bankcrm.db import refresh_statistics
from bankcrm.etl import snapshot
from bankcrm.etl.identity import IDENTITIES, Resolution, holder_feeds, rehome, resolve
from bankcrm.etl.layouts import FEEDS, Feed
from bankcrm.etl.loader import FileResult, LoadFailed, latest_published, load_date, parse_business_date
from bankcrm.etl.models import EtlRun, EtlRunFile, RunStatus
from bankcrm.orgs.service import require_tree_for_load
from bankcrm.system.params import get_int
from bankcrm.warehouse import Query, Warehouse

# The operational tables a load changes in bulk (identity resolution, tiers).
BULK_CHANGED = ("customer", "account_link", "customer_tier_change", "dq_issue", "org_mapping")

log = logging.getLogger("bankcrm.etl")

LEASE = timedelta(minutes=2)
"""A run whose holder is on another host is dead once its heartbeat is older than this."""
HEARTBEAT_EVERY = 20.0
"""Seconds between heartbeats of a running load."""
DIED_UNPUBLISHED = "加载进程已终止，未发布任何数据 / the loading process died; nothing published"
DIED_PUBLISHED = (
    "加载进程在发布后终止：数据已发布，身份识别与快照可能未完成，请重新加载该日期 / the loading process died "
    "after publishing: the date is published; identity resolution and the snapshot may be incomplete, "
    "load the date again to complete them"
)


def _start_ticks(pid: int) -> str | None:
    """The process's start time in clock ticks since boot (Linux), so a reused pid is not taken for it."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()[19]


def this_holder() -> str:
    pid = os.getpid()
    return f"{socket.gethostname()}:{pid}:{_start_ticks(pid) or '-'}"


def _process_alive(pid: int, ticks: str) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # alive, someone else's
    if ticks == "-":
        return True
    now = _start_ticks(pid)
    return now is None or now == ticks


def holder_alive(run: EtlRun, now: datetime) -> bool:
    """On this host the holder's process decides; elsewhere (or for runs without a holder, from before
    holders were recorded) the heartbeat, against ``LEASE``."""
    if run.holder:
        host, _, rest = run.holder.partition(":")
        pid, _, ticks = rest.partition(":")
        if host == socket.gethostname() and pid.isdigit():
            return _process_alive(int(pid), ticks or "-")
    return (run.heartbeat_at or run.started_at) + LEASE > now


def beat(factory: sessionmaker[Session], run_id: int, clock: Clock) -> None:
    with factory() as db:
        db.execute(
            update(EtlRun)
            .where(EtlRun.id == run_id, EtlRun.status == RunStatus.running)
            .values(heartbeat_at=clock.now())
        )
        db.commit()


class Heartbeat:
    """Renews a running load's heartbeat from a thread of its own (the load itself may sit in one
    engine statement for minutes); a failed beat is logged and retried at the next one."""

    def __init__(self, factory: sessionmaker[Session], run_id: int, clock: Clock, every: float = HEARTBEAT_EVERY):
        self._stop = threading.Event()
        self._factory = factory
        self._thread = threading.Thread(
            target=self._run, args=(factory, run_id, clock, every), name=f"bankcrm-etl-heartbeat-{run_id}", daemon=True
        )

    def _run(self, factory: sessionmaker[Session], run_id: int, clock: Clock, every: float) -> None:
        while not self._stop.wait(every):
            try:
                beat(factory, run_id, clock)
            except Exception:
                log.warning("renewing a load's heartbeat failed", extra={"run_id": run_id}, exc_info=True)

    def __enter__(self) -> Heartbeat:
        # A factory bound to one connection (the tests' rolled-back transaction) cannot serve a second
        # thread: then the beats are left out (the holder's pid still tells a dead run on this host).
        if not isinstance(self._factory.kw.get("bind"), Connection):
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()


PUBLISHED_BY_RUN = Query(
    "etl.published_by_run",
    "SELECT p.business_date, f.feed, f.file_name, f.received, f.accepted, f.rejected, f.amount_total, "
    "f.seconds FROM etl_published p LEFT JOIN etl_published_file f "
    "ON f.business_date = p.business_date AND f.run_id = p.run_id WHERE p.run_id = :r ORDER BY f.feed",
)


def end_dead_runs(db: Session, warehouse: Callable[[], Warehouse], clock: Clock) -> list[int]:
    """End every running run whose holder is gone, with the truth from the warehouse: a date its run
    published is ``published`` with the published counts, otherwise the run ``failed`` (nothing of it
    was published). Audited, logged; the caller commits. Returns the ids ended."""
    now = clock.now()
    ended: list[int] = []
    for run in list(db.scalars(select(EtlRun).where(EtlRun.status == RunStatus.running).order_by(EtlRun.id))):
        if holder_alive(run, now):
            continue
        published = warehouse().query(PUBLISHED_BY_RUN, {"r": run.id})
        status, message = (RunStatus.published, DIED_PUBLISHED) if published else (RunStatus.failed, DIED_UNPUBLISHED)
        # One ender wins (the run list, the poller and a load attempt may meet here).
        won = db.execute(
            update(EtlRun)
            .where(EtlRun.id == run.id, EtlRun.status == RunStatus.running)
            .values(status=status, message=message, finished_at=now)
        )
        if won.rowcount != 1:  # type: ignore[attr-defined]
            continue
        files = [
            FileResult(r[1], r[2], int(r[3]), int(r[4]), int(r[5]), Decimal(r[6]), float(r[7]))
            for r in published
            if r[1] is not None
        ]
        db.refresh(run)
        _record_files(db, run, files, now)
        audit.append(
            db,
            SYSTEM_ACTOR,
            "etl.load.abandoned",
            at=now,
            target_type="etl_run",
            target_id=run.id,
            detail={"business_date": run.business_date, "status": status.value, "holder": run.holder},
        )
        log.warning(
            "ended a load run whose process is gone",
            extra={"run_id": run.id, "holder": run.holder, "status": status.value},
        )
        ended.append(run.id)
    db.flush()
    return ended


def start_run(db: Session, business_date: str, *, actor: Actor, clock: Clock) -> EtlRun:
    """The run's record, visible as ``running`` from now on, held by this process (the caller commits)."""
    run = EtlRun(
        business_date=business_date,
        status=RunStatus.running,
        actor_username=actor.username,
        started_at=clock.now(),
        holder=this_holder(),
        heartbeat_at=clock.now(),
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
            .values(status=RunStatus.running, started_at=clock.now(), holder=this_holder(), heartbeat_at=clock.now())
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


def rehome_customers(factory: sessionmaker[Session], wh: Warehouse, *, actor: Actor, clock: Clock) -> int:
    """After an org code is mapped (by hand or by a rule): the customers standing at head office for
    lack of it move to the mapped org now (``identity.rehome``, by their identities on the latest
    published date), rather than at the next load. Returns the number moved."""
    latest = latest_published(wh)
    if latest is None:
        return 0
    rows = wh.query(IDENTITIES, {"d": parse_business_date(latest)})
    with factory() as db:
        moved = rehome(db, ((r[0], r[1], r[3], r[4]) for r in rows), actor=actor, now=clock.now())
        db.commit()
    return moved


def rehome_job(app: Any, actor: Actor) -> None:
    """``rehome_customers`` in the server's job runner, then the serving snapshot rebuilt when any moved."""

    def job() -> object:
        wh = app.state.warehouse()
        moved = rehome_customers(app.state.sessionmaker, wh, actor=actor, clock=app.state.clock)
        if moved:
            with app.state.sessionmaker() as db:
                snapshot.export_links(db, wh)
                days = get_int(db, "customer.recent_txn_days")
            latest = latest_published(wh)
            if latest:
                snapshot.build(wh, latest, txn_days=days)
        return moved

    app.state.jobs.submit("org.rehome", job)


def serve_queue(
    factory: sessionmaker[Session],
    warehouse: Callable[[], Warehouse],
    submit: Callable[[str, Callable[[], object]], object],
    clock: Clock,
    stop: threading.Event,
    every: float = 2.0,
) -> None:
    """The server's side of the hand-off: claim queued runs and run them in the job runner. Also ends
    runs whose process died (at the server's start, then at every turn). A busy or unreachable store
    (``database is locked``) is logged and retried with a growing pause: the poller never dies."""
    wait = 0.0
    failures = 0
    while not stop.wait(wait):
        wait = every
        try:
            with factory() as db:
                if end_dead_runs(db, warehouse, clock):
                    db.commit()
            claimed = claim_queued(factory, clock)
        except OperationalError as e:
            failures += 1
            wait = min(every * 2**failures, 60.0)
            # The driver's message names the statement, never values (they are bound); the class is enough.
            log.warning(
                "the store is busy or unreachable; the load queue retries",
                extra={"error": type(e.orig).__name__, "failures": failures, "retry_in": wait},
            )
            continue
        except Exception:
            failures += 1
            wait = min(every * 2**failures, 60.0)
            log.exception("claiming queued loads failed")
            continue
        failures = 0
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
            end_dead_runs(db, lambda: wh, clock)  # this attempt ends earlier runs whose process died
            run_id = start_run(db, business_date, actor=actor, clock=clock).id
            db.commit()
    with Heartbeat(factory, run_id, clock):
        return _load(factory, wh, in_dir, business_date, actor, clock, feeds, on_file, run_id)


def _load(
    factory: sessionmaker[Session],
    wh: Warehouse,
    in_dir: Path,
    business_date: str,
    actor: Actor,
    clock: Clock,
    feeds: list[Feed],
    on_file: Callable[[FileResult], None] | None,
    run_id: int,
) -> EtlRun:
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
        result = load_date(wh, in_dir, business_date, feeds, on_file=seen, run_id=run_id)
        replaced = result.replaced
        if {f.code for f in feeds} >= {f.code for f, _ in holder_feeds()}:
            with factory() as db:
                resolution = resolve(db, wh, business_date, now=clock.now(), actor=actor)
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
    if resolution is not None:
        run.customers_created = resolution.customers_created
        run.links_created = resolution.links_created
        run.dq_issues = resolution.issues_raised
        run.customers_updated = resolution.customers_updated
        run.accounts_unmapped = resolution.accounts_unmapped
        run.links_review = resolution.links_review
    _record_files(db, run, files, now)
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
                "customers_created": run.customers_created,
                "customers_updated": run.customers_updated,
                "links_created": run.links_created,
                "accounts_unmapped": run.accounts_unmapped,
                "links_review": run.links_review,
                "message": message,
            },
        )
    db.commit()
    db.refresh(run)
    return run


def _record_files(db: Session, run: EtlRun, files: list[FileResult], now: datetime) -> None:
    """The run's counts and its files (replacing any recorded before: the truth written last wins)."""
    run.rows_received = sum(f.received for f in files)
    run.rows_accepted = sum(f.accepted for f in files)
    run.rows_rejected = sum(f.rejected for f in files)
    run.seconds = (now - run.started_at).total_seconds()
    db.execute(delete(EtlRunFile).where(EtlRunFile.run_id == run.id))
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
