"""The generated demo (``bankcrm demo``): its logins' orgs exist at any size, the first dates load
before the server starts and the rest in the server's job runner, and without a terminal the command
prints its progress as plain lines."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from bankcrm.auth.models import User
from bankcrm.clock import FrozenClock
from bankcrm.customers.models import CustomerManager
from bankcrm.demo import USERS, HistoryJobs, Step, build_bank, feed_dates, load_dates, pending_dates
from bankcrm.etl.loader import latest_published
from bankcrm.etl.models import EtlRun, RunStatus
from bankcrm.orgs.models import Org
from bankcrm.warehouse import Warehouse


def _build(factory: sessionmaker[Session], wh: Warehouse, feeds: Path, clock: FrozenClock, steps: list[Step]) -> bool:
    return build_bank(factory, wh, feeds, customers=200, days=3, clock=clock, first_dates=1, on_step=steps.append)


def test_a_small_bank_has_every_login_on_its_org_and_loads_its_first_date(
    session_factory: sessionmaker[Session], wh: Warehouse, clock: FrozenClock, tmp_path: Path
) -> None:
    steps: list[Step] = []
    feeds = tmp_path / "feeds"
    assert _build(session_factory, wh, feeds, clock, steps)
    with session_factory() as db:
        code_of = {o.id: o.code for o in db.scalars(select(Org))}
        users = {u.username: u for u in db.scalars(select(User))}
        for u in USERS:  # the Gulou and Xuanwu sub-branches too, which a 200-customer tree lacked
            assert code_of[users[u.username].org_id] == u.org_code, u.username
        book = db.scalar(
            select(func.count()).select_from(CustomerManager).where(CustomerManager.user_id == users["gl_manager"].id)
        )
        assert book and book > 0
    dates = feed_dates(feeds)
    assert len(dates) == 3
    assert latest_published(wh) == dates[0] and pending_dates(wh, feeds) == dates[1:]
    assert [s.what for s in steps] == ["generate", "generate", "orgs", "load", "resolve", "loaded", "book"]
    assert steps[5].done == 1 and steps[5].total == 3 and steps[5].detail.startswith(dates[0])
    # Once built, building again changes nothing; the rest loads in order.
    assert not _build(session_factory, wh, feeds, clock, [])
    load_dates(session_factory, wh, feeds, pending_dates(wh, feeds), clock=clock)
    assert latest_published(wh) == dates[-1] and pending_dates(wh, feeds) == []


def _history(
    jobs: HistoryJobs,
    factory: sessionmaker[Session],
    wh: Warehouse,
    feeds: Path,
    dates: list[str],
    clock: FrozenClock,
    on_loaded: object = None,
) -> tuple[list[str], str | None]:
    ended = threading.Event()
    result: list[tuple[list[str], str | None]] = []

    def on_end(rest: list[str], error: str | None) -> None:
        result.append((rest, error))
        ended.set()

    def on_step(s: Step) -> None:
        if s.what == "loaded" and callable(on_loaded):
            on_loaded()

    jobs.load_history(
        factory, lambda: wh, feeds, dates, clock=clock, on_step=on_step, done_before=1, total=3, on_end=on_end
    )
    assert ended.wait(300), "the history never ended"  # a hang guard: it ends by itself
    jobs.shutdown()
    return result[0]


def test_the_rest_loads_in_the_job_runner_and_stops_between_dates(
    session_factory: sessionmaker[Session], wh: Warehouse, clock: FrozenClock, tmp_path: Path
) -> None:
    feeds = tmp_path / "feeds"
    _build(session_factory, wh, feeds, clock, [])
    left = pending_dates(wh, feeds)
    # The server stops while the first of the two dates loads: that one finishes, the other waits.
    jobs = HistoryJobs()
    assert _history(jobs, session_factory, wh, feeds, left, clock, on_loaded=jobs.stopping.set) == (left[1:], None)
    assert latest_published(wh) == left[0]
    # The next start continues where it stopped; every date is a run of the load runs page.
    assert _history(HistoryJobs(), session_factory, wh, feeds, pending_dates(wh, feeds), clock) == ([], None)
    with session_factory() as db:
        runs = db.execute(select(EtlRun.business_date, EtlRun.status).order_by(EtlRun.id)).all()
    assert [tuple(r) for r in runs] == [(d, RunStatus.published) for d in feed_dates(feeds)]


def test_a_date_that_does_not_publish_stops_the_history_with_its_reason(
    session_factory: sessionmaker[Session], wh: Warehouse, clock: FrozenClock, tmp_path: Path
) -> None:
    feeds = tmp_path / "feeds"
    _build(session_factory, wh, feeds, clock, [])
    left = pending_dates(wh, feeds)
    damaged = feeds / f"cif_customer_{left[0]}.dat"
    damaged.write_bytes(damaged.read_bytes()[: damaged.stat().st_size // 2].rsplit(b"\n", 1)[0] + b"\n")
    rest, error = _history(HistoryJobs(), session_factory, wh, feeds, left, clock)
    assert rest == left and error is not None and left[0] in error
    assert latest_published(wh) == feed_dates(feeds)[0]  # nothing of the damaged date was published


@pytest.fixture
def demo_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    from bankcrm.config import get_settings

    monkeypatch.setenv("BANKCRM_VAR_DIR", str(tmp_path))
    for name in ("BANKCRM_DATABASE_URL", "BANKCRM_WAREHOUSE_URL", "BANKCRM_WAREHOUSE_PATH"):
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def test_without_a_terminal_the_command_prints_plain_progress_lines(demo_env: Path) -> None:
    """`bankcrm demo --no-serve` at the smallest size: a line per step, no terminal codes; run again it
    finishes a bank left half loaded."""
    from bankcrm import demo, migrate, warehouse
    from bankcrm.cli import app as cli
    from bankcrm.config import get_settings
    from bankcrm.db import make_engine, make_sessionmaker

    engine = make_engine(get_settings().resolved_database_url())
    migrate.upgrade(engine)
    wh = warehouse.connect()
    try:
        demo.build_bank(
            make_sessionmaker(engine),
            wh,
            demo_env / "demo-feeds",
            customers=100,
            days=3,
            clock=FrozenClock(),
            first_dates=1,
        )
    finally:
        wh.close()
        engine.dispose()
    r = CliRunner().invoke(cli, ["demo", "--no-serve", "--customers", "100", "--days", "3"])
    assert r.exit_code == 0, r.output
    assert "\x1b" not in r.output
    lines = r.output.splitlines()
    assert [ln.split("] ", 1)[1].split(":")[0] for ln in lines if ln.startswith("[")] == [
        "load 1/3",
        "resolve 1/3",
        "loaded 2/3",
        "load 2/3",
        "resolve 2/3",
        "loaded 3/3",
    ]
    assert any(ln.startswith("demo data already present") and "3 of 3 business dates loaded" in ln for ln in lines)
    assert "gl_manager" in r.output and "Still loading" not in r.output


def test_a_fresh_small_demo_builds_from_the_command(demo_env: Path) -> None:
    """The size that crashed (`KeyError: '320106'`): the generated tree now has the logins' orgs."""
    from bankcrm.cli import app as cli

    r = CliRunner().invoke(cli, ["demo", "--no-serve", "--customers", "500", "--days", "2"])
    assert r.exit_code == 0, r.output
    assert "generate 1/1" in r.output and "loaded 2/2" in r.output and "book 1/1" in r.output
