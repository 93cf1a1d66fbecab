"""Runs are recorded from start to end, visible in the API, rejects readable and masked."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from bankcrm.auth.audit import SYSTEM_ACTOR
from bankcrm.clock import FrozenClock
from bankcrm.etl import service
from bankcrm.etl.models import RunStatus
from bankcrm.etl.service import run_load
from bankcrm.warehouse import Warehouse

from ..builders import Bank, login, make_user, resident_id, role
from ..conftest import TEST_DB_URL
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
    item = rej["items"][0]
    assert item["raw"] is None  # rejected lines hold personal data: only their masked fields are shown
    assert {f["name"]: f["value"] for f in item["fields"]}["phone"] == "138****5678"
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


def _dead_holder() -> str:
    """The holder of a process that ran on this host and is gone."""
    import socket
    import subprocess
    import sys

    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    return f"{socket.gethostname()}:{int(child.stdout)}:1"


def test_a_run_whose_process_died_does_not_block_the_ui(
    tmp_path: Path, bank: Bank, client: TestClient, db: Session, clock: FrozenClock
) -> None:
    """ETL-4: a run left `running` by a killed process is ended (failed, nothing published: its id is
    on no published date) by the next load attempt, instead of answering 409 for ever."""
    from bankcrm.etl.models import EtlRun

    make_user(db, org=bank.head, roles=[role(db, "data_admin")], username="dataops", now=clock.now())
    stuck = EtlRun(
        business_date=DATE,
        status=RunStatus.running,
        actor_username="dataops",
        started_at=clock.now(),
        holder=_dead_holder(),
        heartbeat_at=clock.now(),
    )
    live = EtlRun(
        business_date=DATE,
        status=RunStatus.running,
        actor_username="dataops",
        started_at=clock.now(),
        holder=service.this_holder(),  # this very process: alive
        heartbeat_at=clock.now(),
    )
    db.add_all([stuck, live])
    db.commit()
    login(client, "dataops")
    (tmp_path / "var" / "inbox" / DATE).mkdir(parents=True)
    r = client.post("/api/etl/runs", json={"business_date": DATE})
    assert r.status_code == 409 and r.json()["code"] == "load_running"  # the live one still blocks
    db.refresh(stuck)
    assert stuck.status == RunStatus.failed and stuck.message == service.DIED_UNPUBLISHED
    live.status = RunStatus.failed
    db.commit()
    r = client.post("/api/etl/runs", json={"business_date": DATE})
    assert r.status_code == 202, r.json()


def test_a_run_on_another_host_is_dead_when_its_lease_expires(
    bank: Bank, client: TestClient, db: Session, clock: FrozenClock
) -> None:
    from bankcrm.auth.models import AuditRecord
    from bankcrm.etl.models import EtlRun

    make_user(db, org=bank.head, roles=[role(db, "data_admin")], username="dataops", now=clock.now())
    run = EtlRun(
        business_date=DATE,
        status=RunStatus.running,
        actor_username="dataops",
        started_at=clock.now(),
        holder="another-host.example:4242:77",
        heartbeat_at=clock.now(),
    )
    db.add(run)
    db.commit()
    login(client, "dataops")
    clock.advance(seconds=service.LEASE.total_seconds() - 1)
    assert client.get("/api/etl/runs").json()["items"][0]["status"] == "running"  # the lease holds
    clock.advance(seconds=2)
    item = client.get("/api/etl/runs").json()["items"][0]  # the run list ends it
    assert (item["status"], item["message"]) == ("failed", service.DIED_UNPUBLISHED)
    assert db.scalar(select(AuditRecord.action).where(AuditRecord.target_id == str(run.id))) == "etl.load.abandoned"


def test_a_heartbeat_renews_the_lease(
    session_factory: sessionmaker[Session], db: Session, clock: FrozenClock, bank: Bank
) -> None:
    from bankcrm.etl.models import EtlRun

    run = service.start_run(db, DATE, actor=SYSTEM_ACTOR, clock=clock)
    db.commit()
    clock.advance(minutes=10)
    service.beat(session_factory, run.id, clock)
    db.refresh(run)
    assert run.heartbeat_at == clock.now()
    run.holder = "another-host.example:1:1"
    assert service.holder_alive(run, clock.now())
    clock.advance(seconds=service.LEASE.total_seconds() + 1)
    assert not service.holder_alive(run, clock.now())
    assert isinstance(run, EtlRun)


@pytest.mark.skipif(bool(TEST_DB_URL), reason="a whole-database write lock is SQLite's; PostgreSQL locks rows")
def test_the_queue_poller_survives_a_locked_store(store: tuple[Engine, str, str | None], tmp_path: Path) -> None:
    """`database is locked` on the poller's BEGIN IMMEDIATE: logged, retried with a pause, never fatal;
    once the lock is gone the queued run is claimed."""
    import logging
    import sqlite3
    import threading

    from sqlalchemy import event

    from bankcrm.clock import Clock
    from bankcrm.db import make_engine, make_sessionmaker
    from bankcrm.etl.models import EtlRun

    engine, url, _ = store
    with make_sessionmaker(engine)() as s:
        run_id = service.queue_run(s, DATE, tmp_path, actor=SYSTEM_ACTOR, clock=Clock()).id
        s.commit()
    poller_engine = make_engine(url)
    # The server waits 10 s for a lock; the test's poller gives up after 50 ms to keep the test short.
    event.listen(poller_engine, "connect", lambda con, _: con.execute("PRAGMA busy_timeout=50"))
    busy = threading.Semaphore(0)
    claimed = threading.Event()

    class Seen(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if "the store is busy" in record.getMessage():
                assert DATE not in str(record.__dict__) and str(tmp_path) not in str(record.__dict__)
                busy.release()

    handler = Seen()
    logging.getLogger("bankcrm.etl").addHandler(handler)
    lock = sqlite3.connect(url.split("///", 1)[1], isolation_level=None)
    lock.execute("BEGIN EXCLUSIVE")  # another process writing for a while
    stop = threading.Event()
    poller = threading.Thread(
        target=service.serve_queue,
        args=(make_sessionmaker(poller_engine), lambda: None, lambda name, fn: claimed.set(), Clock(), stop),
        kwargs={"every": 0.01},
    )
    try:
        poller.start()
        for _ in range(3):  # three failed turns in a row, and still polling
            assert busy.acquire(timeout=30)
        assert poller.is_alive() and not claimed.is_set()
        lock.execute("COMMIT")
        assert claimed.wait(30)
    finally:
        stop.set()
        poller.join(30)
        lock.close()
        logging.getLogger("bankcrm.etl").removeHandler(handler)
        poller_engine.dispose()
    with make_sessionmaker(engine)() as s:
        run = s.get(EtlRun, run_id)
        assert run is not None and run.status == RunStatus.running and run.holder == service.this_holder()


def test_rejects_are_scoped_by_the_rows_org_and_masked_by_field(
    tmp_path: Path,
    session_factory: sessionmaker[Session],
    clock: FrozenClock,
    bank: Bank,
    client: TestClient,
    db: Session,
) -> None:
    """SEC-2, SEC-3: a sub-branch data role sees its branch's rejected rows only; rows whose org cannot
    be known are for head office; no address, account or ID number in full without the unmask right;
    a 1 MB field is cut."""
    from bankcrm.auth.masking import mask_id_number
    from bankcrm.auth.models import DataScope
    from bankcrm.orgs.models import OrgMapping

    from ..builders import make_role

    bad_id = resident_id()[:-1] + ("0" if resident_id()[-1] != "0" else "1")
    address = "江苏省南京市鼓楼区中山北路100号3幢502室"
    d = tmp_path / "in"
    d.mkdir()
    rows = [
        cif_row(1),
        cif_row(2, id_no=bad_id, org_code="N01", address=address),
        cif_row(3, id_no=bad_id, org_code="S01"),
        cif_row(5, org_code="N01", address="x" * 1_000_000),
    ]
    write(d, CIF, rows, extra_lines=[f"C9|1|张九|101|{resident_id()}|broken"])
    write(d, SAV, [sav_row(1)])
    write(d, CRD, [crd_row(1)])
    run = run_load(
        session_factory, client.app.state.warehouse(), d, DATE, actor=SYSTEM_ACTOR, clock=clock, feeds=list(FEEDS)
    )  # type: ignore[attr-defined]
    assert run.rows_rejected == 4, run.message
    db.add_all(
        [
            OrgMapping(system="cif", src_code="N01", org_id=bank.nj_sub.id, method="manual", updated_at=clock.now()),
            OrgMapping(system="cif", src_code="S01", org_id=bank.sz_sub.id, method="manual", updated_at=clock.now()),
        ]
    )
    data = make_role(db, codes={"etl.view", "etl.rejects"}, scope=DataScope.subtree)
    make_user(db, org=bank.nj_sub, roles=[data], username="gl_data", now=clock.now())
    make_user(db, org=bank.head, roles=[role(db, "data_admin")], username="dataops", now=clock.now())
    clear = make_role(db, codes={"etl.view", "etl.rejects", "customer.unmask"}, scope=DataScope.all)
    make_user(db, org=bank.head, roles=[clear], username="unmasker", now=clock.now())
    db.commit()

    def rejects_as(user: str) -> dict[int, dict[str, object]]:
        login(client, user)
        page = client.get(f"/api/etl/runs/{run.id}/rejects", params={"feed": "cif_customer"}).json()
        assert page["total"] == len(page["items"])
        return {i["line_no"]: i for i in page["items"]}

    assert sorted(rejects_as("gl_data")) == [2, 4]  # its sub-branch's rows; not Suzhou's, not the unknown line
    seen = rejects_as("dataops")  # head office: every row, the unknown one too; masked
    assert sorted(seen) == [2, 3, 4, 5]
    text = str(seen)
    assert address not in text and bad_id not in text and "13812345678" not in text
    line2 = {f["name"]: f["value"] for f in seen[2]["fields"]}  # type: ignore[union-attr]
    assert line2["id_no"] == mask_id_number(bad_id) and line2["address"].startswith("江苏省南京市*")
    assert seen[2]["raw"] is None
    huge = {f["name"]: f["value"] for f in seen[4]["fields"]}  # type: ignore[union-attr]
    assert seen[4]["truncated"] is True and len(huge["address"]) <= 80
    broken = seen[5]["fields"]  # does not split into the layout: every field masked conservatively
    assert [f["name"] for f in broken][:2] == ["#1", "#2"]  # type: ignore[index]
    assert resident_id() not in str(broken) and "张九" not in str(broken)
    clear_view = rejects_as("unmasker")
    assert address in str(clear_view[2]["raw"]) and len(str(clear_view[4]["raw"])) <= 2100


def test_short_wealth_and_account_numbers_are_masked_by_their_column() -> None:
    """A wealth holding id is too short for a pattern: its column's class masks it."""
    from bankcrm.etl.layouts import feed
    from bankcrm.etl.rejects import fields

    wm = feed("wm_holding")
    raw = "\t".join(["WM0012345", "C1", "101", resident_id(), "张三", "P01", "WEALTH", "320106", "2025", "", "x", ""])
    got = {f.name: f.value for f in fields(wm, raw, clear=False)}
    assert got["holding_id"] != "WM0012345" and got["holding_id"].startswith("WM")
    assert got["id_no"] == resident_id()[:3] + "*" * 11 + resident_id()[-4:]
    assert got["amount"] == "*"  # a value failing its format ("x") is masked conservatively
    assert {f.name: f.value for f in fields(wm, raw, clear=True)}["holding_id"] == "WM0012345"


def test_rejected_amounts_are_bands_without_the_amount_right() -> None:
    """SEC-3 in the reject viewer: a well-formed balance of a rejected line is a per-customer amount."""
    from bankcrm.auth.masking import band_text
    from bankcrm.etl.layouts import feed
    from bankcrm.etl.rejects import fields

    wm = feed("wm_holding")
    raw = "\t".join(["WM0012345", "C1", "101", resident_id(), "张三", "P01", "WEALTH", "320106", "2025", "", "", ""])
    cols = [c.name for c in wm.columns]
    parts = raw.split("\t")
    parts[cols.index("amount")] = "123456.78"
    raw = "\t".join(parts)
    banded = {f.name: f.value for f in fields(wm, raw, clear=True, amounts=False)}
    assert banded["amount"] == band_text("123456.78") and "123456" not in str(banded)
    assert {f.name: f.value for f in fields(wm, raw, clear=True)}["amount"] == "123456.78"


def test_dq_issues_are_scoped_and_account_numbers_masked(
    bank: Bank, client: TestClient, db: Session, clock: FrozenClock
) -> None:
    from bankcrm.auth.models import DataScope
    from bankcrm.etl.models import DqIssue

    from ..builders import make_role

    def issue(kind: str, key: str, customer_id: int | None, ref: str) -> DqIssue:
        i = DqIssue(
            kind=kind,
            key=key,
            business_date=DATE,
            system="sav",
            ref=ref,
            customer_id=customer_id,
            detail={},
            created_at=clock.now(),
        )
        db.add(i)
        return i

    nj = issue("link_changed", "sav:6222000011112222", bank.customers["nj_other"].id, "6222000011112222")
    sz = issue("link_changed", "sav:6222000033334444", bank.customers["sz"].id, "6222000033334444")
    unknown = issue("unmapped_org", "sav:X99", None, "X99")
    data = make_role(db, codes={"dq.view", "dq.edit"}, scope=DataScope.subtree)
    make_user(db, org=bank.nj_sub, roles=[data], username="gl_data", now=clock.now())
    make_user(db, org=bank.head, roles=[role(db, "data_admin")], username="dataops", now=clock.now())
    db.commit()
    login(client, "gl_data")
    items = client.get("/api/etl/dq/issues").json()["items"]
    assert [i["id"] for i in items] == [nj.id]
    assert items[0]["ref"] == "622200******2222"
    r = client.post(f"/api/etl/dq/issues/{sz.id}/close", json={"status": "dismissed", "note": "not mine"})
    assert r.status_code == 404  # out of scope: as if it did not exist
    login(client, "dataops")
    items = client.get("/api/etl/dq/issues").json()["items"]
    assert {i["id"] for i in items} == {nj.id, sz.id, unknown.id}
    assert {i["ref"] for i in items} == {"622200******2222", "622200******4444", "X99"}


def test_a_running_load_beats_from_its_own_thread(store: tuple[Engine, str, str | None]) -> None:
    import time

    from bankcrm.db import make_sessionmaker
    from bankcrm.etl.models import EtlRun

    engine, _, _ = store
    factory = make_sessionmaker(engine)
    clock = FrozenClock()
    with factory() as s:
        run_id = service.start_run(s, DATE, actor=SYSTEM_ACTOR, clock=clock).id
        s.commit()
    clock.advance(minutes=5)
    with service.Heartbeat(factory, run_id, clock, every=0.02):
        deadline = time.monotonic() + 30
        while True:
            with factory() as s:
                if s.scalar(select(EtlRun.heartbeat_at).where(EtlRun.id == run_id)) == clock.now():
                    break
            assert time.monotonic() < deadline, "no heartbeat"
            time.sleep(0.02)
