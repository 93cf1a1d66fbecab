"""Benchmark (by hand, never in CI): load a transaction file with full validation and compare with
the engine's own plain bulk load of the same file (DuckDB read_csv into a table).

    .venv/bin/python bench/etl.py [--rows 10000000] [--dir /tmp/bankcrm-bench]

Prints the seconds of each and the ratio (goal: at most 1.5).
"""

from __future__ import annotations

import argparse
import shutil
import time
from pathlib import Path

import duckdb

from bankcrm.etl.layouts import control_line, feed
from bankcrm.etl.loader import ensure_schema, load_date

DATE = "20260105"


def make_file(d: Path, rows: int) -> Path:
    """A card transaction file in its layout (UTF-8, comma, header), written by the engine itself."""
    f = feed("card_txn")
    path = d / f.file_name(DATE)
    con = duckdb.connect()
    con.execute(
        f"""COPY (
            SELECT 'T' || lpad(i::VARCHAR, 12, '0') AS txn_id,
                   '6225' || lpad((i % 2000000)::VARCHAR, 12, '0') AS card_no,
                   '{DATE}' AS txn_date,
                   lpad(((i * 7) % 86400 // 3600)::VARCHAR, 2, '0') || '0000' AS txn_time,
                   CASE WHEN i % 3 = 0 THEN 'C' ELSE 'D' END AS dc,
                   printf('%.2f', ((i * 37) % 500000) / 100.0) AS amount,
                   printf('%.2f', ((i * 91) % 9000000) / 100.0) AS balance_after,
                   ['POS', 'ATM', 'MOBILE', 'INTERNET', 'THIRD'][(i % 5) + 1] AS channel,
                   CASE WHEN i % 10 = 0 THEN '超市消费' ELSE '' END AS memo
            FROM range({rows}) t(i)
        ) TO '{path}' (HEADER, DELIMITER ',', QUOTE '')"""
    )
    total = con.execute(f"SELECT sum(((i * 37) % 500000) / 100.0) FROM range({rows}) t(i)").fetchone()[0]
    (d / f.control_name(DATE)).write_text(control_line(f.file_name(DATE), rows, f"{total:.2f}", DATE), encoding="utf-8")
    return path


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--dir", type=Path, default=Path("/tmp/bankcrm-bench"))
    args = ap.parse_args()
    d: Path = args.dir
    shutil.rmtree(d, ignore_errors=True)
    d.mkdir(parents=True)
    t0 = time.perf_counter()
    path = make_file(d, args.rows)
    print(
        f"file: {path.name}, {args.rows:,} rows, {path.stat().st_size / 1e6:,.0f} MB "
        f"(written in {time.perf_counter() - t0:.1f} s)"
    )

    raw = duckdb.connect(str(d / "raw.duckdb"))
    t0 = time.perf_counter()
    raw.execute("CREATE TABLE t AS SELECT * FROM read_csv($p)", {"p": str(path)})
    plain = time.perf_counter() - t0
    raw.close()

    con = duckdb.connect(str(d / "wh.duckdb"))
    f = feed("card_txn")
    ensure_schema(con, [f])
    t0 = time.perf_counter()
    result = load_date(con, d, DATE, [f])
    ours = time.perf_counter() - t0
    fr = result.files[0]
    con.close()
    print(f"plain DuckDB read_csv into a table : {plain:8.2f} s")
    print(
        f"bankcrm load with full validation  : {ours:8.2f} s  "
        f"(received {fr.received:,}, accepted {fr.accepted:,}, rejected {fr.rejected:,})"
    )
    print(f"ratio                              : {ours / plain:8.2f}  (goal <= 1.5)")
    shutil.rmtree(d, ignore_errors=True)


if __name__ == "__main__":
    main()
