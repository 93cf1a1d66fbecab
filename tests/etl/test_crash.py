"""A crash (kill -9) at any point of a load leaves readers with the previous complete state."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from bankcrm.config import Settings
from bankcrm.etl.layouts import control_line, feed
from bankcrm.etl.loader import ensure_schema, load_date
from bankcrm.warehouse import connect

F = feed("card_txn")
CHILD = """
import json, sys
from pathlib import Path
from bankcrm.config import Settings
from bankcrm.etl.layouts import feed
from bankcrm.etl.loader import load_date
from bankcrm.warehouse import connect
wh = connect(Settings(**json.loads(sys.argv[1])))
print("loading", flush=True)
load_date(wh, Path(sys.argv[2]), sys.argv[3], [feed("card_txn")])
print("done", flush=True)
"""


def _txn_file(d: Path, date: str, rows: int) -> None:
    d.mkdir(parents=True, exist_ok=True)
    path = d / F.file_name(date)
    con = duckdb.connect()
    con.execute(
        f"""COPY (SELECT 'T' || i AS txn_id, '6225' || lpad(i::VARCHAR, 12, '0') AS card_no, '{date}' AS txn_date,
                  '120000' AS txn_time, 'D' AS dc, '1.00' AS amount, '10.00' AS balance_after, 'POS' AS channel,
                  '' AS memo FROM range({rows}) t(i)) TO '{path}' (HEADER, DELIMITER ',', QUOTE '')"""
    )
    (d / F.control_name(date)).write_text(control_line(path.name, rows, f"{rows:.2f}", date), encoding="utf-8")


@pytest.mark.parametrize("delay", [0.3, 0.9, 1.6])
def test_kill_minus_nine_during_a_load_keeps_the_previous_state(
    tmp_path: Path, delay: float, warehouse_settings: dict[str, object]
) -> None:
    settings = {"var_dir": str(tmp_path / "var")} | {k: str(v) for k, v in warehouse_settings.items()}
    con = connect(Settings(**settings))  # type: ignore[arg-type]
    ensure_schema(con, [F])
    _txn_file(tmp_path / "d1", "20260105", 1000)
    load_date(con, tmp_path / "d1", "20260105", [F])
    con.close()
    _txn_file(tmp_path / "d2", "20260106", 1_500_000)
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, json.dumps(settings), str(tmp_path / "d2"), "20260106"],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ},
    )
    assert child.stdout is not None and child.stdout.readline().strip() == "loading"
    time.sleep(delay)
    killed = child.poll() is None
    if killed:
        os.kill(child.pid, signal.SIGKILL)
    if delay < 0.5:
        assert killed, "the load finished before the kill: the test would prove nothing"
    child.wait(timeout=30)
    after = connect(Settings(**settings))  # type: ignore[arg-type]
    published = [r[0].strftime("%Y%m%d") for r in after.query("SELECT business_date FROM etl_published")]
    rows = after.query("SELECT business_date, count(*) FROM f_card_txn GROUP BY 1 ORDER BY 1")
    # Either the kill came before the commit (only the first date, whole) or after it (both, whole).
    if published == ["20260105"]:
        assert [(d.strftime("%Y%m%d"), n) for d, n in rows] == [("20260105", 1000)]
    else:
        assert published == ["20260105", "20260106"]
        assert [(d.strftime("%Y%m%d"), n) for d, n in rows] == [("20260105", 1000), ("20260106", 1_500_000)]
    after.close()
