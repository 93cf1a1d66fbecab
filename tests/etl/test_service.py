"""Runs are recorded from start to end, visible in the API, rejects readable and masked."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from bankcrm.auth.audit import SYSTEM_ACTOR
from bankcrm.clock import FrozenClock
from bankcrm.etl.models import RunStatus
from bankcrm.etl.service import run_load
from bankcrm.warehouse import Warehouse

from ..builders import Bank, login, make_user, resident_id, role
from .test_loader import CIF, CRD, DATE, FEEDS, SAV, cif_row, crd_row, sav_row, write


def _files(d: Path, *, bad: bool = False, broken: bool = False) -> Path:
    d.mkdir()
    write(d, CIF, [cif_row(1), cif_row(2, id_no=resident_id()[:-1] + "0" if bad else resident_id(seq="002"))])
    write(d, SAV, [sav_row(1)], ctl_rows=5 if broken else None)
    write(d, CRD, [crd_row(1)])
    return d


def test_published_and_failed_runs_are_recorded(
    tmp_path: Path,
    session_factory: sessionmaker[Session],
    clock: FrozenClock,
    bank: Bank,
    client: TestClient,
    db: Session,
) -> None:
    wh = client.app.state.warehouse()  # type: ignore[attr-defined]
    ok = run_load(
        session_factory, wh, _files(tmp_path / "a", bad=True), DATE, actor=SYSTEM_ACTOR, clock=clock, feeds=list(FEEDS)
    )
    assert ok.status == RunStatus.published and (ok.rows_received, ok.rows_accepted, ok.rows_rejected) == (4, 3, 1)
    failed = run_load(
        session_factory,
        wh,
        _files(tmp_path / "b", broken=True),
        DATE,
        actor=SYSTEM_ACTOR,
        clock=clock,
        feeds=list(FEEDS),
    )
    assert failed.status == RunStatus.failed and "row count 1 differs" in (failed.message or "")
    assert failed.failed_feed == "sav_account"

    make_user(db, org=bank.head, roles=[role(db, "data_admin")], username="dataadm", now=clock.now())
    db.commit()
    login(client, "dataadm")
    runs = client.get("/api/etl/runs").json()
    assert [r["status"] for r in runs["items"]] == ["failed", "published"]
    detail = client.get(f"/api/etl/runs/{ok.id}").json()
    assert [(f["feed"], f["received"], f["rejected"]) for f in detail["files"]] == [
        ("cif_customer", 2, 1),
        ("sav_account", 1, 0),
        ("crd_loan", 1, 0),
    ]
    rej = client.get(f"/api/etl/runs/{ok.id}/rejects", params={"feed": "cif_customer"}).json()
    assert rej["total"] == 1 and rej["items"][0]["line_no"] == 2
    assert "id_no: fails the check" in rej["items"][0]["reason"]
    raw = rej["items"][0]["raw"]
    assert "13812345678" not in raw and "138****5678" in raw  # rejected lines hold personal data: masked
    assert client.get(f"/api/etl/runs/{ok.id}/rejects", params={"feed": "x; drop"}).status_code == 422
    login(client, "nj_president")
    assert client.get("/api/etl/runs").status_code == 403
    assert isinstance(wh, Warehouse)


def test_start_a_load_from_the_ui(
    tmp_path: Path, bank: Bank, client: TestClient, db: Session, clock: FrozenClock
) -> None:
    make_user(db, org=bank.head, roles=[role(db, "data_admin")], username="dataops", now=clock.now())
    db.commit()
    login(client, "dataops")
    r = client.post("/api/etl/runs", json={"business_date": DATE})
    assert r.status_code == 400 and r.json()["code"] == "no_files"
    for bad in ("2026-01-05", "20261305", "../../etc", 20260105):
        assert client.post("/api/etl/runs", json={"business_date": bad}).status_code == 422
    inbox = tmp_path / "var" / "inbox"  # the app fixture's var_dir
    inbox.mkdir(parents=True)
    _files(inbox / DATE)
    r = client.post("/api/etl/runs", json={"business_date": DATE})
    assert r.status_code == 202 and r.json()["status"] == "running"
    run = client.get(f"/api/etl/runs/{r.json()['id']}").json()
    # Only three of the nineteen feeds are in the folder: the date fails, saying which file is missing.
    assert run["status"] == "failed" and "data file missing" in run["message"]
    login(client, "auditor")
    assert client.post("/api/etl/runs", json={"business_date": DATE}).status_code == 403


def test_a_load_handed_over_by_the_command_line_runs_in_the_server(
    tmp_path: Path, session_factory: sessionmaker[Session], clock: FrozenClock, bank: Bank, client: TestClient
) -> None:
    """`bankcrm etl load` queues the run when the server holds the warehouse; the server's poller claims
    it once and runs it in its job runner."""
    import threading

    from bankcrm.etl.models import EtlRun
    from bankcrm.etl.service import claim_queued, queue_run, serve_queue
    from bankcrm.synth.generate import Options, generate

    folder = tmp_path / "bank"
    generate(Options(customers=60, days=1, seed=3, out=folder, start=DATE, dirty=0.0))
    with session_factory() as db:
        run_id = queue_run(db, DATE, folder, actor=SYSTEM_ACTOR, clock=clock).id
        db.commit()
    app = client.app
    ran: list[str] = []
    done = threading.Event()

    def submit(name: str, fn: object) -> object:
        ran.append(name)
        try:
            return fn()  # type: ignore[operator]
        finally:
            done.set()

    stop = threading.Event()
    poller = threading.Thread(
        target=serve_queue,
        args=(session_factory, app.state.warehouse, submit, clock, stop),  # type: ignore[attr-defined]
        kwargs={"every": 0.01},
    )
    poller.start()  # the test's one database connection is used by this thread alone until it stops
    assert done.wait(60)
    stop.set()
    poller.join()
    with session_factory() as db:
        run = db.get(EtlRun, run_id)
    assert run is not None and run.status == RunStatus.published, run.message
    assert run.rows_accepted == run.rows_received > 0
    assert ran == [f"etl.load {DATE} (queued)"]
    assert claim_queued(session_factory, clock) is None  # claimed once
