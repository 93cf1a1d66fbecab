"""Browser tests: a live server (uvicorn in a thread) on a fresh database with the demo data, and
Debian's Chromium driven by Playwright. Screenshots of failures go to tests/e2e/artifacts/."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, Page, expect, sync_playwright
from sqlalchemy.orm import Session

from bankcrm import demo, migrate
from bankcrm.api.app import create_app
from bankcrm.clock import Clock
from bankcrm.config import Settings
from bankcrm.synth.generate import Options, generate

from ..conftest import drop_engine, new_engine

ROOT = Path(__file__).resolve().parents[2]
DIST = ROOT / "web" / "dist"
ARTIFACTS = Path(__file__).parent / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# Assertions wait as long as actions do: a loaded CI machine must not turn slowness into failures. The
# limit only guards against a hang (every wait is for a condition): on two cores shared with a build
# and another test run, an antd dropdown's closing animation took over 15 s to settle.
GUARD_MS = 60_000
expect.set_options(timeout=GUARD_MS)

INBOX_DATE = "20260105"


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not (DIST / "index.html").is_file():
        pytest.fail("web/dist is missing: run `make test` (it builds the web bundle first)")
    engine, schema = new_engine(tmp_path_factory.mktemp("e2e"))
    migrate.upgrade(engine)
    with Session(engine) as db:
        demo.build(db, now=Clock().now())
        db.commit()
    var = tmp_path_factory.mktemp("var")
    # A small generated bank's files for one business date in the inbox, for the data pages.
    generate(Options(customers=60, days=1, seed=5, out=var / "inbox" / INBOX_DATE, start=INBOX_DATE))
    app = create_app(Settings(web_dist=DIST, var_dir=var), engine=engine)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", server_header=False))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 20
    while not server.started:
        if time.time() > deadline:
            pytest.fail("live server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
    drop_engine(engine, schema)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing at /usr/bin/chromium: `make test` installs it (apt-get install chromium)")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser: Browser, live_server: str, request: pytest.FixtureRequest) -> Iterator[Page]:
    context = browser.new_context(base_url=live_server, locale="zh-CN", viewport={"width": 1400, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(GUARD_MS)
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    yield pg
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        pg.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    rep = outcome.get_result()  # type: ignore[attr-defined]
    if rep.when == "call":
        item.rep_call = rep  # type: ignore[attr-defined]
