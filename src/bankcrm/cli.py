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
orgs_app = typer.Typer(help="The org tree", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(user_app, name="user")
app.add_typer(audit_app, name="audit")
app.add_typer(feeds_app, name="feeds")
app.add_typer(etl_app, name="etl")
app.add_typer(orgs_app, name="orgs")
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
    console.print(f"\n[bold]bankcrm[/bold] is at [link]http://{s.host}:{s.port}/[/link]\n", soft_wrap=True)
    t = Table(title=f"Demo logins (password for all: {password})")
    t.add_column("user")
    t.add_column("role")
    t.add_column("name")
    for u in USERS:
        t.add_row(u.username, u.role, u.display_name)
    console.print(t)


def _say(line: str) -> None:
    """A plain line on stdout, at once: progress people read while the work goes on (also in a log)."""
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


class _DemoProgress:
    """The demo's steps: a bar on a terminal, otherwise one plain line per step (with the time since
    the start), so that a log or a CI job shows what is happening."""

    def __init__(self, began: float) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.began = began
        self.bar: Progress | None = None
        if console.is_terminal:
            columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
            self.bar = Progress(*columns, console=console)
            self.task = self.bar.add_task("demo bank", total=None)

    def __enter__(self) -> _DemoProgress:
        if self.bar:
            self.bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar:
            self.bar.stop()

    def __call__(self, step: Any) -> None:
        import time

        if self.bar:
            self.bar.update(self.task, description=f"{step.what}: {step.detail}", completed=step.done, total=step.total)
            if step.what in ("generate", "orgs", "loaded", "book") and step.done:
                self.bar.console.print(f"{step.what}: {step.detail}")
            return
        _say(f"[{time.perf_counter() - self.began:6.0f} s] {step.what} {step.done}/{step.total}: {step.detail}")


@app.command()
def demo(
    serve_after: Annotated[
        bool, typer.Option("--serve/--no-serve", help="serve (loading the rest meanwhile), or load all and stop")
    ] = True,
    quick: Annotated[bool, typer.Option(help="a small hand-made bank instead of the generated one")] = False,
    customers: Annotated[int, typer.Option(min=100, max=2_000_000)] = 20_000,
    days: Annotated[int, typer.Option(min=1, max=400)] = 90,
    first_dates: Annotated[
        int, typer.Option(min=1, help="business dates loaded before the server starts; the rest load while it serves")
    ] = 5,
) -> None:
    """Build the demo bank and start the server: a generated bank (20,000 customers, 90 business dates)
    loaded through the real ETL, or with --quick a small hand-made one. The server starts after the
    first few dates; the others load in its job runner (the load runs page shows them) while people use
    it. With --no-serve every date loads before the command ends."""
    import time

    from bankcrm import demo as demo_data
    from bankcrm import migrate, warehouse
    from bankcrm.clock import Clock
    from bankcrm.db import make_sessionmaker, session_scope
    from bankcrm.etl.loader import LoadFailed

    began = time.perf_counter()
    engine = _engine()
    migrate.upgrade(engine)
    factory = make_sessionmaker(engine)
    feeds_dir = get_settings().var_dir / "demo-feeds"
    left: list[str] = []
    total = 0
    if quick:
        with session_scope(factory) as db:
            created = demo_data.build(db, now=Clock().now())
    else:
        wh = warehouse.connect()
        try:
            with _DemoProgress(began) as progress:
                created = demo_data.build_bank(
                    factory,
                    wh,
                    feeds_dir,
                    customers=customers,
                    days=days,
                    clock=Clock(),
                    first_dates=first_dates if serve_after else None,
                    on_step=progress,
                )
                total = len(demo_data.feed_dates(feeds_dir))
                left = demo_data.pending_dates(wh, feeds_dir)
                if left and not serve_after:  # a bank left half loaded earlier: finish it here
                    demo_data.load_dates(
                        factory, wh, feeds_dir, left, clock=Clock(), on_step=progress, done_before=total - len(left)
                    )
                    left = []
        except (LoadFailed, ValueError) as e:
            _say(f"demo failed: {e}")
            raise typer.Exit(1) from None
        finally:
            wh.close()
    _say(
        f"demo data {'created' if created else 'already present'} in {time.perf_counter() - began:.0f} s"
        + (f"; {total - len(left)} of {total} business dates loaded" if total else "")
    )
    _demo_banner(demo_data.DEMO_PASSWORD)
    if left:
        _say(
            f"Still loading in the background: {len(left)} business dates, {left[0]} to {left[-1]} (each a run on "
            "数据加载 → 加载任务 (Load runs) when signed in as dataops); customers and balances move forward "
            "as they publish. Stopping the server stops the loading between two dates; `bankcrm demo` continues it."
        )
    if serve_after:
        _serve_demo(factory, feeds_dir, left, total, began)


def _serve_demo(factory: Any, feeds_dir: Path, left: list[str], total: int, began: float) -> None:
    """Serve, loading the demo's remaining dates in the server's job runner."""
    import time

    import uvicorn

    from bankcrm.api.app import create_app
    from bankcrm.clock import Clock
    from bankcrm.demo import HistoryJobs
    from bankcrm.logging import configure

    s = get_settings()
    configure(s.log_level, s.log_json)
    jobs = HistoryJobs()
    web = create_app(s, jobs=jobs)

    def step(st: Any) -> None:
        if st.what == "loaded":
            _say(f"[{time.perf_counter() - began:6.0f} s] background load {st.done}/{st.total}: {st.detail}")

    def ended(rest: list[str], error: str | None) -> None:
        if error:
            _say(f"background load stopped at {rest[0]}: {error} ({len(rest)} dates not loaded)")
        elif rest:
            _say(f"background load paused: {len(rest)} dates left from {rest[0]}; `bankcrm demo` continues it")
        else:
            _say(f"[{time.perf_counter() - began:6.0f} s] every business date is loaded")

    jobs.load_history(
        factory,
        web.state.warehouse,
        feeds_dir,
        left,
        clock=Clock(),
        on_step=step,
        done_before=total - len(left),
        total=total,
        on_end=ended,
    )
    uvicorn.run(web, host=s.host, port=s.port, log_config=None, access_log=True)


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
        r = audit.verify(db, anchor=audit.anchor_path())
    if r.ok:
        anchored = f", against {r.anchored} checkpoints outside the database" if r.anchored else ""
        console.print(f"[green]audit chain intact[/green]: {r.checked} records checked{anchored}")
        return
    where = f" at record {r.first_bad_id}" if r.first_bad_id else ""
    console.print(f"[red]audit chain broken[/red]{where}: {r.reason} ({r.checked} records verified)")
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
    from bankcrm.etl.schemas import failure_text
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
    if run.status != RunStatus.published:
        # No counts: a failed date published nothing, a table of "accepted" rows would read otherwise.
        console.print(f"run {run.id}: {date}", markup=False)
        console.print(failure_text(run.message), style="red", markup=False)
        raise typer.Exit(1)
    table = Table(title=f"run {run.id}: {date} {run.status.value}")
    figures = {
        "rows received": run.rows_received,
        "accepted": run.rows_accepted,
        "rejected": run.rows_rejected,
        "customers created": run.customers_created,
        "customers updated": run.customers_updated,
        "accounts linked": run.links_created,
        "accounts org unmapped": run.accounts_unmapped,
        "links to review": run.links_review,
    }
    for col in (*figures, "seconds"):
        table.add_column(col, justify="right")
    table.add_row(*(f"{n:,}" for n in figures.values()), f"{run.seconds:.1f}")
    console.print(table)
    if run.message:
        console.print(run.message, markup=False)


@orgs_app.command("import")
def orgs_import(
    file: Annotated[Path, typer.Argument(help="CSV (UTF-8 or GBK) or Excel .xlsx", exists=True, dir_okay=False)],
    apply: Annotated[bool, typer.Option("--apply", help="write the changes (default: preview only)")] = False,
) -> None:
    """Import the org tree from a file: code, name, parent code, level, type (机构代码, 机构名称, 上级机构代码,
    机构级别, 机构类型). Prints what would be created, updated and rejected; --apply writes it, all or
    nothing. Exit 1 when a line is rejected."""
    from rich.markup import escape

    from bankcrm.auth.audit import SYSTEM_ACTOR
    from bankcrm.clock import Clock
    from bankcrm.db import make_sessionmaker, session_scope
    from bankcrm.errors import DomainError
    from bankcrm.orgs.importer import import_orgs

    def cells(*values: object) -> list[str]:  # file contents are text, never rich markup
        return [escape(str(v)) for v in values]

    try:
        with session_scope(make_sessionmaker(_engine())) as db:
            r = import_orgs(db, file.name, file.read_bytes(), actor=SYSTEM_ACTOR, apply=apply, now=Clock().now())
    except DomainError as e:
        console.print(f"[red]{escape(e.message)}[/red]")
        raise typer.Exit(1) from e
    kind = "Excel" if r.file_format == "xlsx" else f"CSV, {r.encoding}"
    console.print(
        f"{escape(file.name)} ({kind}): {r.rows} lines; create {len(r.creates)}, update {len(r.updates)}, "
        f"unchanged {r.unchanged}, rejected {len(r.rejects)}"
    )
    if r.creates or r.updates:
        t = Table(title="新建与修改 / to create and update")
        for col in ("line", "action", "code", "name", "level", "parent", "changes"):
            t.add_column(col)
        for c in r.creates:
            t.add_row(*cells(c.line, "create", c.code, c.name, c.level.value, c.parent_code or "", ""))
        for c in r.updates:
            changes = "; ".join(f"{k}: {a} → {b}" for k, (a, b) in c.changes.items())
            t.add_row(*cells(c.line, "update", c.code, c.name, c.level.value, c.parent_code or "", changes))
        console.print(t)
    if r.rejects:
        t = Table(title="拒绝 / rejected", title_style="red")
        for col in ("line", "code", "reason"):
            t.add_column(col)
        for rej in r.rejects:
            t.add_row(*cells(rej.line, rej.code, rej.reason))
        console.print(t)
    if r.absent:
        codes = escape(", ".join(a.code for a in r.absent[:20])) + (" ..." if len(r.absent) > 20 else "")
        console.print(
            f"在机构树中但不在文件中（保持不变）/ in the tree, not in the file (kept): {len(r.absent)}: {codes}"
        )
    if r.rejects:
        if apply:
            console.print("[red]nothing applied[/red]: fix the rejected lines and import again")
        raise typer.Exit(1)
    if r.applied:
        console.print(f"[green]applied[/green]: {len(r.creates)} created, {len(r.updates)} updated")
    elif apply:
        console.print("nothing to change")
    else:
        console.print("preview only: run again with --apply to write")


@orgs_app.command("list")
def orgs_list() -> None:
    """Print the org tree (code, name, level; closed orgs marked)."""
    from rich.markup import escape
    from rich.tree import Tree

    from bankcrm.db import make_sessionmaker
    from bankcrm.orgs.models import Org, OrgStatus

    with make_sessionmaker(_engine())() as db:
        orgs = list(db.scalars(select(Org).order_by(Org.path)))
    if not orgs:
        console.print("机构树为空 / the org tree is empty: bankcrm orgs import FILE")
        return
    nodes: dict[int, Tree] = {}
    roots: list[Tree] = []
    for o in orgs:
        label = f"{escape(o.code)} {escape(o.name)} [dim]{o.level.value}[/dim]" + (
            " [red](closed)[/red]" if o.status != OrgStatus.active else ""
        )
        parent = nodes.get(o.parent_id) if o.parent_id is not None else None
        node = parent.add(label) if parent is not None else Tree(label)
        nodes[o.id] = node
        if parent is None:
            roots.append(node)
    for root in roots:
        console.print(root)


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
