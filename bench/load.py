"""Benchmark (by hand, never in CI): many signed-in staff at once against a real server (ARC-4).

    .venv/bin/python bench/load.py [--users 100] [--minutes 10] [--customers 20000] [--days 3]
                                   [--pg postgresql+psycopg://postgres@127.0.0.1:5432/test] [--dir DIR]

Builds a generated bank once in DIR (generator + real ETL; reused when DIR has it) on the embedded
default (SQLite + DuckDB) or, with --pg, with both stores in schemas of that PostgreSQL database; creates
one login per simulated user (customer managers with books at the sub-branches, business departments at
the city branches, presidents at the province branch); starts ``bankcrm serve`` on a free 127.0.0.1 port
and drives it with Locust (bench/locust/locustfile.py: search by number and by name, 360 view and its
transactions, my customers, a linked query; 1-3 s think time), bounded in time. The figures are those
of the steady state: Locust resets them once every user has been started (sign-in costs Argon2 at its
real cost; bench/first_screen.py times it). Prints requests/s and
p50/p95/p99 per endpoint, the errors, the CPU the server and the load generator used, and the goal
(0 errors, p99 <= 100 ms). Only addresses on this machine are ever contacted.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from bankcrm import migrate
from bankcrm.auth.models import Role, User, UserStatus
from bankcrm.auth.sessions import set_password
from bankcrm.clock import Clock
from bankcrm.config import Settings
from bankcrm.customers.models import Customer, CustomerManager
from bankcrm.db import make_engine, make_sessionmaker
from bankcrm.demo import DEMO_PASSWORD, build_bank
from bankcrm.orgs.models import Org, OrgLevel
from bankcrm.warehouse import connect

ROOT = Path(__file__).resolve().parent.parent
BOOK = 200  # customers in each simulated manager's book


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its waited-for children, from /proc (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = sum(int(x) for x in fields[11:15])
    return ticks / os.sysconf("SC_CLK_TCK")


def make_users(settings: Settings, n: int) -> list[dict[str, str]]:
    """``n`` logins (kept when they exist): 60 % managers, 25 % business departments, 15 % presidents."""
    engine = make_engine(settings.resolved_database_url())
    factory = make_sessionmaker(engine)
    out: list[dict[str, str]] = []
    with factory() as db:
        roles = {r.code: r for r in db.scalars(select(Role))}
        subs = list(db.scalars(select(Org).where(Org.level == OrgLevel.sub_branch).order_by(Org.code)))
        cities = list(db.scalars(select(Org).where(Org.level == OrgLevel.city).order_by(Org.code)))
        province = db.scalars(select(Org).where(Org.level == OrgLevel.province).order_by(Org.code)).first()
        assert subs and cities and province is not None, "the generated bank has no sub-branches"
        taken: dict[int, int] = {}
        for i in range(n):
            username = f"load{i + 1:03d}"
            share = i % 20
            kind, role, org = (
                ("manager", "customer_manager", subs[i % len(subs)])
                if share < 12
                else ("branch", "business_dept", cities[i % len(cities)])
                if share < 17
                else ("president", "president", province)
            )
            out.append({"username": username, "kind": kind})
            if db.scalar(select(func.count()).select_from(User).where(User.username == username)):
                continue
            user = User(
                username=username,
                display_name=f"压测用户{i + 1}",
                org_id=org.id,
                password_hash="",
                status=UserStatus.active,
                created_at=Clock().now(),
                roles=[roles[role]],
            )
            db.add(user)
            db.flush()
            set_password(db, user, DEMO_PASSWORD, now=Clock().now(), must_change=False)
            if kind == "manager":
                offset = taken.get(org.id, 0)
                book = db.scalars(
                    select(Customer.id)
                    .where(Customer.org_id == org.id, Customer.merged_into_id.is_(None))
                    .order_by(Customer.id)
                    .offset(offset)
                    .limit(BOOK)
                ).all()
                taken[org.id] = offset + BOOK
                for cid in book:
                    db.add(CustomerManager(customer_id=cid, user_id=user.id, share=100, start_date=date.today()))
        db.commit()
    engine.dispose()
    return out


def settings_for(args: argparse.Namespace) -> tuple[Settings, dict[str, str]]:
    var = args.dir / "var"
    env = {"BANKCRM_VAR_DIR": str(var), "BANKCRM_WEB_DIST": "/nonexistent"}
    if args.pg:
        sep = "&" if "?" in args.pg else "?"
        env["BANKCRM_DATABASE_URL"] = f"{args.pg}{sep}options=-csearch_path%3Dload_ops"
        env["BANKCRM_WAREHOUSE_URL"] = f"{args.pg}{sep}options=-csearch_path%3Dload_wh"
        admin = make_engine(args.pg)
        with admin.begin() as conn:
            conn.exec_driver_sql("CREATE SCHEMA IF NOT EXISTS load_ops")
            conn.exec_driver_sql("CREATE SCHEMA IF NOT EXISTS load_wh")
        admin.dispose()
    s = Settings(
        var_dir=var,
        web_dist=Path("/nonexistent"),
        database_url=env.get("BANKCRM_DATABASE_URL", ""),
        warehouse_url=env.get("BANKCRM_WAREHOUSE_URL", ""),
    )
    return s, env


def build(args: argparse.Namespace, settings: Settings) -> None:
    engine = make_engine(settings.resolved_database_url())
    migrate.upgrade(engine)
    wh = connect(settings)
    t0 = time.perf_counter()
    built = build_bank(
        make_sessionmaker(engine), wh, args.dir / "feeds", customers=args.customers, days=args.days, clock=Clock()
    )
    wh.close()
    engine.dispose()
    print(
        f"bank: {args.customers:,} customers x {args.days} days, {'built' if built else 'reused'} "
        f"in {time.perf_counter() - t0:.0f} s",
        flush=True,
    )


def wait_up(url: str, proc: subprocess.Popen[bytes], limit: float = 300) -> None:
    end = time.monotonic() + limit
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=5) as r:  # noqa: S310 (127.0.0.1 only)
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit("the server did not answer /healthz")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--users", type=int, default=100)
    ap.add_argument("--minutes", type=float, default=10)
    ap.add_argument(
        "--spawn-rate", type=float, default=3, help="users signed in per second (Argon2 at full cost: a few a second)"
    )
    ap.add_argument("--customers", type=int, default=20_000)
    ap.add_argument("--days", type=int, default=3)
    ap.add_argument("--pg", default="", help="run both stores on this PostgreSQL database (schemas load_ops, load_wh)")
    ap.add_argument("--dir", type=Path, default=None)
    args = ap.parse_args()
    args.dir = args.dir or Path("/tmp/bankcrm-load-" + ("pg" if args.pg else "embedded"))
    settings, env = settings_for(args)
    build(args, settings)
    users = make_users(settings, args.users)
    users_file = args.dir / "users.json"
    users_file.write_text(json.dumps(users))

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = (args.dir / "server.log").open("wb")
    server_env = {**os.environ, **env, "BANKCRM_PORT": str(port), "BANKCRM_LOG_LEVEL": "WARNING"}
    command = [str(Path(sys.executable).parent / "bankcrm"), "serve"]
    server = subprocess.Popen(command, env=server_env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
    try:
        wait_up(url, server)
        cpu0, t0 = cpu_seconds(server.pid), time.monotonic()
        prefix = args.dir / "locust"
        seconds = int(args.minutes * 60)
        locust = subprocess.Popen(  # noqa: S603
            [
                sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locust" / "locustfile.py"),
                "--headless", "--host", url, "-u", str(args.users), "-r", str(args.spawn_rate),
                "-t", f"{seconds}s", "--stop-timeout", "10", "--csv", str(prefix), "--only-summary", "--reset-stats",
                "--loglevel", "WARNING",
            ],
            env={**os.environ, "BENCH_USERS": str(users_file), "BENCH_PASSWORD": DEMO_PASSWORD},
            stdout=subprocess.DEVNULL,
            stderr=(args.dir / "locust.log").open("wb"),
        )  # fmt: skip
        locust.wait(timeout=seconds + 180)
        wall = time.monotonic() - t0
        server_cpu = cpu_seconds(server.pid) - cpu0
    finally:
        server.terminate()
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:  # open connections past uvicorn's graceful shutdown
            server.kill()
            server.wait(timeout=30)
        log.close()
    report(prefix, args, wall, server_cpu)


def report(prefix: Path, args: argparse.Namespace, wall: float, server_cpu: float) -> None:
    rows = list(csv.DictReader((prefix.parent / (prefix.name + "_stats.csv")).open(encoding="utf-8")))
    failures = list(csv.DictReader((prefix.parent / (prefix.name + "_failures.csv")).open(encoding="utf-8")))
    store = "PostgreSQL (both stores)" if args.pg else "embedded (SQLite + DuckDB)"
    print(f"\n{args.users} users for {args.minutes:g} min on {store}, {args.customers:,} customers")
    print(
        f"{'endpoint':22s} {'requests':>9s} {'errors':>7s} {'req/s':>7s} "
        f"{'p50':>6s} {'p95':>6s} {'p99':>6s} {'max':>7s}"
    )
    worst = 0.0
    errors = 0

    def num(v: str | None) -> float:
        return float(v) if v and v != "N/A" else 0.0

    for r in rows:
        name = r["Name"] if r["Name"] != "Aggregated" else "ALL"
        p99 = num(r["99%"])
        if name not in ("ALL", "sign in", "list (first page)"):
            worst = max(worst, p99)
        if name == "ALL":
            errors = int(r["Failure Count"])
        print(
            f"{name:22s} {int(r['Request Count']):9d} {int(r['Failure Count']):7d} {num(r['Requests/s']):7.1f} "
            f"{num(r['50%']):5.0f}ms {num(r['95%']):5.0f}ms {p99:5.0f}ms "
            f"{num(r['Max Response Time']):6.0f}ms"
        )
    for f in failures[:10]:
        print(f"  error: {f['Method']} {f['Name']}: {f['Error'][:160]} x{f['Occurrences']}")
    print(
        f"server CPU: {server_cpu:.0f} s in {wall:.0f} s ({100 * server_cpu / wall:.0f} % of one core; "
        f"the machine has {os.cpu_count()} cores shared with the load generator)"
    )
    ok = errors == 0 and worst <= 100
    print(f"goal: 0 errors and p99 <= 100 ms on the read mix -> {'MET' if ok else 'NOT MET'} "
          f"(errors {errors}, worst p99 {worst:.0f} ms)")  # fmt: skip


if __name__ == "__main__":
    main()
