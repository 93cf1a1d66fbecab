"""Benchmark (by hand, never in CI): server-side latency of the customer 360 endpoint and of quick
search on a generated bank, next to the plain engine queries that fetch the same rows.

    .venv/bin/python bench/customer360.py [--customers 1000000] [--days 2] [--samples 300] [--dir DIR] [--db URL]

Builds the bank once in DIR (generator + real ETL + identity resolution; reused when DIR has it), then
times N requests through the ASGI app in-process (no network; the server-side time is each answer's
Server-Timing header) and the same reads done directly with the operational store's driver (SQLite, or
PostgreSQL with --db) and DuckDB. Prints p50/p99 of each and the ratios (goal: p99 <= 25 ms, ratio <= 3).
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import bindparam, text
from sqlalchemy.orm import Session

from bankcrm import migrate
from bankcrm.api.app import create_app
from bankcrm.clock import Clock
from bankcrm.config import Settings
from bankcrm.db import make_engine, make_sessionmaker
from bankcrm.demo import DEMO_PASSWORD, build_bank
from bankcrm.jobs import InlineJobs
from bankcrm.warehouse import connect


def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))] * 1000


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--customers", type=int, default=1_000_000)
    ap.add_argument("--days", type=int, default=2)
    ap.add_argument("--samples", type=int, default=300)
    ap.add_argument("--dir", type=Path, default=Path("/tmp/bankcrm-c360"))
    ap.add_argument(
        "--db",
        default="",
        help="operational store URL (default: SQLite under DIR), e.g. "
        "postgresql+psycopg://postgres@127.0.0.1:5432/test?options=-csearch_path%%3Dbench360 (schema created)",
    )
    args = ap.parse_args()
    var = args.dir / "var"
    settings = Settings(var_dir=var, web_dist=Path("/nonexistent"), database_url=args.db)
    engine = make_engine(settings.resolved_database_url())
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            schema = conn.exec_driver_sql("SHOW search_path").scalar_one().split(",")[0].strip()
            conn.exec_driver_sql(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
    migrate.upgrade(engine)
    t0 = time.perf_counter()
    wh = connect(settings)
    built = build_bank(
        make_sessionmaker(engine), wh, args.dir / "feeds", customers=args.customers, days=args.days, clock=Clock()
    )
    wh.close()
    print(
        f"bank: {args.customers:,} customers x {args.days} days, {'built' if built else 'reused'} "
        f"in {time.perf_counter() - t0:.0f} s"
    )

    app = create_app(settings, engine=engine, jobs=InlineJobs())
    client = TestClient(app)
    client.__enter__()  # one event loop for every request, as a server has (and its lifespan runs)
    r = client.post("/api/auth/login", json={"username": "admin", "password": DEMO_PASSWORD})
    assert r.status_code == 200, r.text
    client.headers["X-CSRF-Token"] = r.json()["csrf_token"]
    # Only the sample is kept: a million rows held here would make this process's garbage collector
    # (and so the timings) unlike a server's.
    with Session(engine) as db:
        top = int(db.scalar(text("SELECT max(id) FROM customer")) or 0)
        rng = random.Random(7)  # noqa: S311 (which customers to sample, not a secret)
        picked = rng.sample(range(1, top + 1), min(args.samples * 2, top))
        rows = db.execute(
            text("SELECT id, customer_no, name FROM customer WHERE id IN :ids").bindparams(
                bindparam("ids", expanding=True)
            ),
            {"ids": picked},
        ).all()
    rows = rows[: args.samples]
    sample = [(r[0], r[1]) for r in rows]
    names = {r[1]: r[2] for r in rows}

    def timed(fn) -> list[float]:  # type: ignore[no-untyped-def]
        out = []
        for cid, no in sample:
            s = time.perf_counter()
            fn(cid, no)
            out.append(time.perf_counter() - s)
        return out

    def served(method: str, path: str, **kw: object) -> tuple[list[float], list[float]]:
        """Server-side time of each request (its Server-Timing header) and the time seen by the client."""
        server, client_seen = [], []
        for cid, no in sample:
            s = time.perf_counter()
            r = client.request(
                method, path.format(cid=cid), **{k: (v(no) if callable(v) else v) for k, v in kw.items()}
            )
            client_seen.append(time.perf_counter() - s)
            r.raise_for_status()
            server.append(float(r.headers["server-timing"].split("dur=")[1]) / 1000)
        return server, client_seen

    raw_conn = engine.raw_connection()  # the operational store's own driver, no SQLAlchemy
    mark = "%s" if engine.dialect.name == "postgresql" else "?"

    class Plain:
        def execute(self, sql: str, params: tuple[object, ...]) -> Any:
            cur = raw_conn.cursor()
            cur.execute(sql.replace("?", mark), params)
            return cur

    sq = Plain()
    dk = app.state.warehouse().con  # the same DuckDB database the app reads (one process)

    def raw_360(cid: int, no: str) -> None:
        sq.execute("SELECT c.*, o.name FROM customer c JOIN org o ON o.id = c.org_id WHERE c.id = ?", (cid,)).fetchall()
        sq.execute("SELECT * FROM customer_manager WHERE customer_id = ?", (cid,)).fetchall()
        sq.execute("SELECT * FROM customer_record WHERE customer_id = ? LIMIT 100", (cid,)).fetchall()
        sq.execute("SELECT * FROM customer_change WHERE customer_id = ? LIMIT 100", (cid,)).fetchall()
        sq.execute("SELECT * FROM account_link WHERE customer_id = ?", (cid,)).fetchall()
        sq.execute(
            "SELECT * FROM customer_tier_change WHERE customer_id = ? ORDER BY id DESC LIMIT 50", (cid,)
        ).fetchall()
        dk.execute("SELECT * FROM s_account_balance WHERE customer_id = ?", [cid]).fetchall()
        dk.execute("SELECT * FROM s_customer_balance WHERE customer_id = ?", [cid]).fetchall()
        dk.execute("SELECT * FROM s_customer_daily WHERE customer_id = ?", [cid]).fetchall()

    def raw_txn(cid: int, no: str) -> None:
        """The first page of the customer's recent transactions and their count."""
        mine = "FROM s_recent_txn WHERE customer_id = ?"
        dk.execute(f"SELECT count(*) {mine}", [cid]).fetchall()
        dk.execute(f"SELECT * {mine} ORDER BY txn_date DESC, txn_time DESC, txn_id DESC LIMIT 20", [cid]).fetchall()

    def raw_page(where: str, params: tuple[str, ...]) -> None:
        """What the search runs for a head-office caller: a count and a page with the org name."""
        live = f"FROM customer c WHERE c.merged_into_id IS NULL AND ({where})"
        sq.execute(f"SELECT count(*) {live}", params).fetchall()
        sq.execute(
            f"SELECT c.*, o.name FROM customer c JOIN org o ON o.id = c.org_id WHERE c.id IN (SELECT c.id {live}) "
            "ORDER BY c.customer_no, c.id LIMIT 20",
            params,
        ).fetchall()

    def raw_search(cid: int, no: str) -> None:
        raw_page(
            "c.id IN (SELECT id FROM customer WHERE customer_no = ? UNION ALL SELECT id FROM customer WHERE id_no = ? "
            "UNION ALL SELECT id FROM customer WHERE phone = ? "
            "UNION ALL SELECT customer_id FROM account_link WHERE account_no = ?)",
            (no, no, no, no),
        )

    def raw_name(cid: int, no: str) -> None:
        name = names[no]
        col = 'c.name COLLATE "C"' if mark == "%s" else "c.name"  # the index's order (migration 0005)
        raw_page(f"({col} >= ? AND {col} < ?) OR c.customer_no = ?", (name, name[:-1] + chr(ord(name[-1]) + 1), name))

    # Every sampled row is read once first, so both sides are timed on a warm cache (a first read of a
    # cold page of a million-row table costs a disk read that neither side controls).
    for fn in (raw_360, raw_txn, raw_search, raw_name):
        timed(fn)
    for cid, no in sample[:10]:  # and the server's statements compiled once
        client.get(f"/api/customers/{cid}/overview")
        client.post("/api/customers/search", json={"q": names[no]})
    ours_360, seen_360 = served("GET", "/api/customers/{cid}/overview")
    ours_txn, seen_txn = served("GET", "/api/customers/{cid}/transactions")
    ours_search, seen_search = served("POST", "/api/customers/search", json=lambda no: {"q": no})
    ours_name, seen_name = served("POST", "/api/customers/search", json=lambda no: {"q": names[no]})
    floor, _ = served("GET", "/healthz")  # the framework and one database round trip, no session

    raw_360_t = timed(raw_360)
    raw_txn_t = timed(raw_txn)
    raw_search_t = timed(raw_search)
    raw_name_t = timed(raw_name)
    print(
        f"floor (GET /healthz: routing, a session of the store, SELECT 1): p50 {pct(floor, 0.5):.2f} ms  "
        f"p99 {pct(floor, 0.99):.2f} ms"
    )
    for name, ours, seen, raw in (
        ("360 overview", ours_360, seen_360, raw_360_t),
        ("360 txns", ours_txn, seen_txn, raw_txn_t),
        ("search by no", ours_search, seen_search, raw_search_t),
        ("search name", ours_name, seen_name, raw_name_t),
    ):
        print(
            f"{name:13s}: bankcrm p50 {pct(ours, 0.5):7.2f} ms  p99 {pct(ours, 0.99):7.2f} ms | "
            f"plain p50 {pct(raw, 0.5):7.2f} ms  p99 {pct(raw, 0.99):7.2f} ms | "
            f"ratio p50 {statistics.median(ours) / statistics.median(raw):5.1f}  "
            f"p99 {pct(ours, 0.99) / pct(raw, 0.99):5.1f}   (goal p99 <= 25 ms, ratio <= 3)"
        )
        print(
            f"{'':13s}  (seen by the in-process client, ASGI hand-off included: p50 {pct(seen, 0.5):.2f} ms  "
            f"p99 {pct(seen, 0.99):.2f} ms)"
        )
    client.__exit__(None, None, None)


if __name__ == "__main__":
    main()
