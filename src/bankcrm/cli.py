"""The ``bankcrm`` command line."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy import Engine, select

from bankcrm.config import get_settings

app = typer.Typer(help="bankcrm: customer relationship management for commercial banks", no_args_is_help=True)
db_app = typer.Typer(help="Operational database", no_args_is_help=True)
user_app = typer.Typer(help="Operators", no_args_is_help=True)
audit_app = typer.Typer(help="Audit trail", no_args_is_help=True)
feeds_app = typer.Typer(help="Core-system feed layouts", no_args_is_help=True)
etl_app = typer.Typer(help="Loading the core systems' files", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(user_app, name="user")
app.add_typer(audit_app, name="audit")
app.add_typer(feeds_app, name="feeds")
app.add_typer(etl_app, name="etl")
console = Console()


def _engine() -> Engine:
    from bankcrm.db import make_engine

    return make_engine(get_settings().resolved_database_url())


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or upgrade the schema to the newest migration, and load reference data."""
    from bankcrm import migrate
    from bankcrm.db import make_sessionmaker, session_scope
    from bankcrm.system.seed import bootstrap

    engine = _engine()
    migrate.upgrade(engine)
    with session_scope(make_sessionmaker(engine)) as db:
        bootstrap(db)
    console.print(f"[green]schema at head[/green] ({engine.url.render_as_string(hide_password=True)})")


@db_app.command("check")
def db_check() -> None:
    """Fail when the models and the migrations disagree."""
    from bankcrm import migrate

    migrate.check(_engine())
    console.print("[green]models and migrations agree[/green]")


def _demo_banner(password: str) -> None:
    from bankcrm.demo import USERS

    s = get_settings()
    console.print(f"\n[bold]bankcrm[/bold] is at [link]http://{s.host}:{s.port}/[/link]\n")
    t = Table(title=f"Demo logins (password for all: {password})")
    t.add_column("user")
    t.add_column("role")
    t.add_column("name")
    for u in USERS:
        t.add_row(u.username, u.role, u.display_name)
    console.print(t)


@app.command()
def demo(
    serve_after: Annotated[bool, typer.Option("--serve/--no-serve")] = True,
    quick: Annotated[bool, typer.Option(help="a small hand-made bank instead of the generated one")] = False,
    customers: Annotated[int, typer.Option(min=100, max=2_000_000)] = 20_000,
    days: Annotated[int, typer.Option(min=1, max=400)] = 90,
) -> None:
    """Build the demo bank and start the server: a generated bank (20,000 customers, 90 business dates)
    loaded through the real ETL, or with --quick a small hand-made one."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from bankcrm import demo as demo_data
    from bankcrm import migrate, warehouse
    from bankcrm.clock import Clock
    from bankcrm.db import make_sessionmaker, session_scope

    engine = _engine()
    migrate.upgrade(engine)
    if quick:
        with session_scope(make_sessionmaker(engine)) as db:
            created = demo_data.build(db, now=Clock().now())
    else:
        wh = warehouse.connect()
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, console=console) as progress:
            task = progress.add_task("demo bank", total=days)

            def step(kind: str, done: int, total: int) -> None:
                progress.update(task, description=f"demo bank: {kind}", completed=done, total=total)

            created = demo_data.build_bank(
                make_sessionmaker(engine),
                wh,
                get_settings().var_dir / "demo-feeds",
                customers=customers,
                days=days,
                clock=Clock(),
                on_step=step,
            )
        wh.close()
    console.print("demo data created" if created else "demo data already present")
    _demo_banner(demo_data.DEMO_PASSWORD)
    if serve_after:
        serve()


@app.command()
def serve(
    host: Annotated[str | None, typer.Option()] = None, port: Annotated[int | None, typer.Option()] = None
) -> None:
    """Run the web server."""
    import uvicorn

    from bankcrm.api.app import create_app
    from bankcrm.logging import configure

    s = get_settings()
    configure(s.log_level, s.log_json)
    uvicorn.run(
        create_app(s),
        host=host or s.host,
        port=port or s.port,
        log_config=None,
        access_log=True,
        server_header=False,  # no `Server: uvicorn`: nothing tells a scanner what runs here
    )


@app.command()
def openapi() -> None:
    """Print the OpenAPI document (the web client's types are generated from it)."""
    from bankcrm.api.app import create_app

    doc = create_app().openapi()
    sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n")


@user_app.command("create")
def user_create(
    username: Annotated[str, typer.Option()],
    org_code: Annotated[str, typer.Option(help="code of the user's org")],
    role: Annotated[list[str], typer.Option(help="built-in or custom role code; repeatable")],
    display_name: Annotated[str, typer.Option()] = "",
) -> None:
    """Create an operator with a random initial password that must be changed at first login."""
    from bankcrm.auth import audit
    from bankcrm.auth.models import Role, User, UserStatus
    from bankcrm.auth.passwords import generate_initial_password
    from bankcrm.auth.schemas import UserCreateIn
    from bankcrm.auth.sessions import set_password
    from bankcrm.clock import Clock
    from bankcrm.db import make_sessionmaker, session_scope
    from bankcrm.orgs.models import Org

    data = UserCreateIn(username=username, display_name=display_name or username, org_id=0)
    now = Clock().now()
    with session_scope(make_sessionmaker(_engine())) as db:
        org = db.scalars(select(Org).where(Org.code == org_code)).one_or_none()
        if org is None:
            raise typer.BadParameter(f"no org with code {org_code}")
        roles = list(db.scalars(select(Role).where(Role.code.in_(role))))
        if len(roles) != len(set(role)):
            raise typer.BadParameter("unknown role code")
        if db.scalar(select(User.id).where(User.username == data.username)) is not None:
            raise typer.BadParameter("user name already taken")
        user = User(
            username=data.username,
            display_name=data.display_name,
            org_id=org.id,
            password_hash="",
            status=UserStatus.active,
            created_at=now,
            roles=roles,
        )
        db.add(user)
        db.flush()
        password = generate_initial_password()
        set_password(db, user, password, now=now, must_change=True)
        audit.append(
            db,
            audit.SYSTEM_ACTOR,
            "user.create",
            at=now,
            target_type="user",
            target_id=user.id,
            detail={"username": user.username, "via": "cli", "roles": sorted(role)},
        )
    console.print(f"created {data.username}; initial password (shown once): {password}")


@audit_app.command("verify")
def audit_verify() -> None:
    """Recompute the audit hash chain; exit 1 when a record was edited, removed or reordered."""
    from bankcrm.auth import audit
    from bankcrm.db import make_sessionmaker

    with make_sessionmaker(_engine())() as db:
        r = audit.verify(db)
    if r.ok:
        console.print(f"[green]audit chain intact[/green]: {r.checked} records checked")
        return
    console.print(
        f"[red]audit chain broken[/red] at record {r.first_bad_id}: {r.reason} ({r.checked} records verified before it)"
    )
    raise typer.Exit(1)


def _hand_to_server(factory: Any, date: str, folder: Path) -> Any:
    """The server holds the embedded warehouse: queue the run for it and follow it to the end."""
    import time

    from bankcrm.auth.audit import SYSTEM_ACTOR
    from bankcrm.clock import Clock
    from bankcrm.etl.models import EtlRun, RunStatus
    from bankcrm.etl.service import queue_run

    with factory() as db:
        run = queue_run(db, date, folder, actor=SYSTEM_ACTOR, clock=Clock())
        db.commit()
        run_id = run.id
    console.print(
        f"服务器正在使用数据仓库，加载已交给服务器（任务 {run_id}）/ the server holds the warehouse: "
        f"load handed to it as run {run_id}; Ctrl-C stops watching, not the load"
    )
    with console.status(f"run {run_id}: waiting for the server") as status:
        while True:
            with factory() as db:
                run = db.get(EtlRun, run_id)
            if run.status not in (RunStatus.queued, RunStatus.running):
                return run
            status.update(f"run {run_id}: {run.status.value}")
            time.sleep(1)


@etl_app.command("load")
def etl_load(
    date: Annotated[str, typer.Option(help="business date YYYYMMDD")],
    dir: Annotated[Path, typer.Option(help="folder holding the date's files", exists=True, file_okay=False)],
) -> None:
    """Validate and load one business date; publish it only when every file passes."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from bankcrm import migrate, warehouse
    from bankcrm.auth.audit import SYSTEM_ACTOR
    from bankcrm.clock import Clock
    from bankcrm.db import make_sessionmaker
    from bankcrm.etl.layouts import FEEDS
    from bankcrm.etl.models import RunStatus
    from bankcrm.etl.service import run_load

    engine = _engine()
    migrate.upgrade(engine)
    factory = make_sessionmaker(engine)
    try:
        wh = warehouse.connect()
    except RuntimeError:
        run = _hand_to_server(factory, date, dir)
    else:
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, console=console) as progress:
            task = progress.add_task(f"loading {date}", total=len(FEEDS))

            def on_file(fr: object) -> None:
                progress.advance(task)

            run = run_load(factory, wh, dir, date, actor=SYSTEM_ACTOR, clock=Clock(), on_file=on_file)
        wh.close()
    table = Table(title=f"run {run.id}: {date} {run.status.value}")
    for col in ("rows received", "accepted", "rejected", "seconds"):
        table.add_column(col, justify="right")
    table.add_row(f"{run.rows_received:,}", f"{run.rows_accepted:,}", f"{run.rows_rejected:,}", f"{run.seconds:.1f}")
    console.print(table)
    if run.status != RunStatus.published:
        console.print(f"[red]not published[/red]: {run.message}")
        raise typer.Exit(1)


@app.command()
def generate(
    customers: Annotated[int, typer.Option(min=1, help="number of customers (about 10% corporate)")],
    days: Annotated[int, typer.Option(min=1, help="consecutive business dates")],
    out: Annotated[str, typer.Option(help="directory for the feed files")],
    seed: Annotated[int, typer.Option(help="same seed, same bytes")] = 1,
    start: Annotated[str, typer.Option(help="first business date, YYYYMMDD")] = "20260105",
    dirty: Annotated[float, typer.Option(min=0.0, max=0.5, help="share of spoiled rows per file")] = 0.02,
) -> None:
    """Write a synthetic bank's core-system feeds (every layout, with control files), org_tree.csv and
    ground_truth.csv."""
    import time
    from pathlib import Path

    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    from bankcrm.synth.generate import Options
    from bankcrm.synth.generate import generate as run

    opts = Options(customers=customers, days=days, seed=seed, out=Path(out), start=start, dirty=dirty)
    began = time.perf_counter()
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=console,
    ) as bar:
        task = bar.add_task("generating", total=1)

        def progress(what: str, done: int, total: int) -> None:
            bar.update(task, description=what, completed=done, total=total)

        try:
            summary = run(opts, progress)
        except ValueError as e:
            raise typer.BadParameter(str(e)) from e
    seconds = time.perf_counter() - began
    console.print(
        f"[green]wrote[/green] {summary.files} files, {summary.rows:,} rows, {summary.bytes / 1e6:,.1f} MB "
        f"in {seconds:,.1f} s into {out}"
    )
    for event, count in sorted(summary.events.items()):
        console.print(f"  {event}: {count:,}")


@feeds_app.command("doc")
def feeds_doc() -> None:
    """Print docs/feeds.md, the layouts a bank's IT department produces the files by."""
    from bankcrm.etl.feeds_doc import render

    sys.stdout.write(render())


if __name__ == "__main__":
    app()
