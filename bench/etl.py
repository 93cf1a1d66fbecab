"""Benchmark (by hand, never in CI): load a transaction file with full validation and compare with
the engine's own plain bulk load of the same file (DuckDB read_csv into a table; with --pg, PostgreSQL
COPY into a table).

    .venv/bin/python bench/etl.py [--rows 10000000] [--dir /tmp/bankcrm-bench] [--pg URL]

Prints the seconds of each and the ratio (goal: at most 1.5).
"""

from __future__ import annotations

import argparse
import shutil
import time
from pathlib import Path

import duckdb
from sqlalchemy import text

from bankcrm.db import make_engine
from bankcrm.etl.layouts import Feed, control_line, feed
from bankcrm.etl.loader import ensure_schema, load_date
from bankcrm.etl.rules import sql_type
from bankcrm.warehouse import DuckWarehouse, PgWarehouse, Warehouse

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


def plain_pg_copy(url: str, path: Path, f: Feed) -> float:
    """The engine's own bulk path: COPY the file (text columns typed as the layout says) into a table."""
    engine = make_engine(url)
    cols = ", ".join(f'"{c.name}" {sql_type(c)}' for c in f.columns)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS bench_plain"))
        conn.execute(text(f"CREATE TABLE bench_plain ({cols})"))
    t0 = time.perf_counter()
    with engine.begin() as conn:
        raw = conn.connection.driver_connection
        sql = "COPY bench_plain FROM STDIN (FORMAT csv, HEADER true)"
        with raw.cursor() as cur, cur.copy(sql) as copy, path.open("rb") as fh:  # type: ignore[union-attr]
            while chunk := fh.read(1 << 20):
                copy.write(chunk)
    seconds = time.perf_counter() - t0
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE bench_plain"))
    engine.dispose()
    return seconds


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--dir", type=Path, default=Path("/tmp/bankcrm-bench"))
    ap.add_argument("--pg", help="a PostgreSQL URL: benchmark the PostgreSQL analytical store instead")
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

    f = feed("card_txn")
    if args.pg:
        plain, engine = plain_pg_copy(args.pg, path, f), "PostgreSQL COPY   "
        con: Warehouse = PgWarehouse(make_engine(args.pg), temp_dir=d)
        for t in ("etl_reject", "etl_published", "f_card_txn"):
            con.execute(f"DROP TABLE IF EXISTS {t}")
    else:
        raw = duckdb.connect(str(d / "raw.duckdb"))
        t0 = time.perf_counter()
        raw.execute("CREATE TABLE t AS SELECT * FROM read_csv($p)", {"p": str(path)})
        plain, engine = time.perf_counter() - t0, "DuckDB read_csv   "
        raw.close()
        con = DuckWarehouse(duckdb.connect(str(d / "wh.duckdb")))
    ensure_schema(con, [f])
    t0 = time.perf_counter()
    result = load_date(con, d, DATE, [f])
    ours = time.perf_counter() - t0
    fr = result.files[0]
    con.close()
    print(f"plain {engine} into a table : {plain:8.2f} s")
    print(
        f"bankcrm load with full validation  : {ours:8.2f} s  "
        f"(received {fr.received:,}, accepted {fr.accepted:,}, rejected {fr.rejected:,})"
    )
    print(f"ratio                              : {ours / plain:8.2f}  (goal <= 1.5)")
    shutil.rmtree(d, ignore_errors=True)


if __name__ == "__main__":
    main()
