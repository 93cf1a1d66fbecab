"""A load killed (SIGKILL) before or after publishing leaves no run `running` forever: the next load
attempt ends it with the truth read from the warehouse, on both stores."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from bankcrm.auth.audit import SYSTEM_ACTOR
from bankcrm.auth.models import AuditRecord
from bankcrm.clock import Clock
from bankcrm.config import Settings
from bankcrm.db import make_sessionmaker
from bankcrm.etl.layouts import feed
from bankcrm.etl.loader import PAUSE_ENV
from bankcrm.etl.models import EtlRun, EtlRunFile, RunStatus
from bankcrm.etl.service import DIED_PUBLISHED, DIED_UNPUBLISHED, run_load
from bankcrm.warehouse import connect

from .test_crash import _txn_file

F = feed("card_txn")
DATE = "20260105"
CHILD = """
import json, sys
from pathlib import Path
from bankcrm.auth.audit import SYSTEM_ACTOR
from bankcrm.clock import Clock
from bankcrm.config import Settings
from bankcrm.db import make_engine, make_sessionmaker
from bankcrm.etl.layouts import feed
from bankcrm.etl.service import run_load
from bankcrm.warehouse import connect
cfg = json.loads(sys.argv[1])
kw = {"connect_args": {"options": "-csearch_path=" + cfg["schema"]}} if cfg["schema"] else {}
engine = make_engine(cfg["url"], **kw)
wh = connect(Settings(**cfg["settings"]))
run_load(make_sessionmaker(engine), wh, Path(cfg["dir"]), cfg["date"], actor=SYSTEM_ACTOR, clock=Clock(),
         feeds=[feed("card_txn")])
"""


def _wait_for(path: Path, child: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120
    while not path.exists():
        assert child.poll() is None, "the load ended before reaching the pause point"
        assert time.monotonic() < deadline, "the load never reached the pause point"
        time.sleep(0.02)


@pytest.mark.parametrize("point", ["before_publish", "after_publish"])
def test_a_run_killed_around_publishing_is_ended_with_the_truth(
    tmp_path: Path, point: str, store: tuple[Engine, str, str | None], warehouse_settings: dict[str, object]
) -> None:
    engine, url, schema = store
    factory: sessionmaker[Session] = make_sessionmaker(engine)
    settings = {"var_dir": str(tmp_path / "var")} | {k: str(v) for k, v in warehouse_settings.items()}
    _txn_file(tmp_path / "d1", DATE, 100)
    wh = connect(Settings(**settings))  # type: ignore[arg-type]
    first = run_load(factory, wh, tmp_path / "d1", DATE, actor=SYSTEM_ACTOR, clock=Clock(), feeds=[F])
    wh.close()  # the child needs the DuckDB file
    assert first.status == RunStatus.published
    _txn_file(tmp_path / "d2", DATE, 2000)  # the date again, with other counts
    gate = tmp_path / "gate"
    cfg = {"url": url, "schema": schema, "settings": settings, "dir": str(tmp_path / "d2"), "date": DATE}
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, json.dumps(cfg)], env={**os.environ, PAUSE_ENV: f"{point}:{gate}"}
    )
    try:
        _wait_for(gate.with_name("gate.reached"), child)
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    with factory() as db:
        dead = db.scalars(select(EtlRun).where(EtlRun.id > first.id)).one()
        assert dead.status == RunStatus.running  # what the crash leaves behind
    # The next load attempt ends it with the truth, then loads.
    wh = connect(Settings(**settings))  # type: ignore[arg-type]
    _txn_file(tmp_path / "d3", "20260106", 10)
    nxt = run_load(factory, wh, tmp_path / "d3", "20260106", actor=SYSTEM_ACTOR, clock=Clock(), feeds=[F])
    assert nxt.status == RunStatus.published, nxt.message
    published_rows = wh.scalar("SELECT count(*) FROM f_card_txn WHERE business_date = DATE '2026-01-05'")
    wh.close()
    with factory() as db:
        run = db.get(EtlRun, dead.id)
        assert run is not None and run.finished_at is not None
        recorded = db.scalars(select(EtlRunFile).where(EtlRunFile.run_id == run.id))
        files = [(f.feed, f.received, f.accepted) for f in recorded]
        audited = db.scalars(
            select(AuditRecord.action).where(AuditRecord.target_type == "etl_run", AuditRecord.target_id == str(run.id))
        ).all()
    assert "etl.load.abandoned" in audited
    if point == "before_publish":
        assert (run.status, run.message, run.rows_accepted, files) == (RunStatus.failed, DIED_UNPUBLISHED, 0, [])
        assert published_rows == 100  # the first run's state stands
    else:
        assert (run.status, run.message) == (RunStatus.published, DIED_PUBLISHED)
        assert (run.rows_received, run.rows_accepted, files) == (2000, 2000, [("card_txn", 2000, 2000)])
        assert published_rows == 2000
