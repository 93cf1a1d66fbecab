"""`bankcrm orgs import FILE [--apply]` and `bankcrm orgs list` on a fresh installation (SQLite)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bankcrm import cli as cli_module
from bankcrm.cli import app as cli
from bankcrm.config import get_settings

GOOD = (
    "机构代码,机构名称,上级机构代码,机构级别\n"
    "000000,总行,,总行\n320000,江苏省分行,000000,省分行\n320100,南京分行,320000,市分行\n"
)


@pytest.fixture
def installation(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    monkeypatch.setenv("BANKCRM_VAR_DIR", str(tmp_path))
    monkeypatch.delenv("BANKCRM_DATABASE_URL", raising=False)
    monkeypatch.setattr(cli_module.console, "width", 200)  # tables unwrapped, whatever the terminal
    get_settings.cache_clear()
    runner = CliRunner()
    try:
        assert runner.invoke(cli, ["db", "upgrade"]).exit_code == 0
        yield runner
    finally:
        get_settings.cache_clear()


def test_preview_apply_and_list(installation: CliRunner, tmp_path: Path) -> None:
    empty = installation.invoke(cli, ["orgs", "list"])
    assert empty.exit_code == 0 and "the org tree is empty" in empty.output
    f = tmp_path / "tree.csv"
    f.write_bytes(GOOD.encode("gbk"))
    preview = installation.invoke(cli, ["orgs", "import", str(f)])
    assert preview.exit_code == 0, preview.output
    assert "CSV, GBK" in preview.output and "create 3" in preview.output and "--apply" in preview.output
    assert "the org tree is empty" in installation.invoke(cli, ["orgs", "list"]).output  # the preview wrote nothing
    applied = installation.invoke(cli, ["orgs", "import", str(f), "--apply"])
    assert applied.exit_code == 0 and "applied: 3 created" in applied.output
    listing = installation.invoke(cli, ["orgs", "list"]).output
    assert "000000 总行" in listing and "320100 南京分行" in listing
    assert "unchanged 3" in installation.invoke(cli, ["orgs", "import", str(f), "--apply"]).output


def test_rejects_exit_non_zero_and_apply_nothing(installation: CliRunner, tmp_path: Path) -> None:
    f = tmp_path / "tree.csv"
    f.write_text(GOOD + "320500,苏州分行,NOPE,市分行\n[x],[/bold]网点,320100,网点\n", encoding="utf-8-sig")
    r = installation.invoke(cli, ["orgs", "import", str(f), "--apply"])
    assert r.exit_code == 1
    assert "[x]" in r.output  # file text printed as text, not read as rich markup
    assert "unknown parent NOPE" in r.output and "nothing applied" in r.output and "UTF-8 (BOM)" in r.output
    assert "the org tree is empty" in installation.invoke(cli, ["orgs", "list"]).output
    bad = tmp_path / "bad.csv"
    bad.write_text("code,name\nA,b\n", encoding="utf-8")
    r = installation.invoke(cli, ["orgs", "import", str(bad)])
    assert r.exit_code == 1 and "missing columns" in r.output


def test_a_load_into_an_empty_tree_says_what_to_do(installation: CliRunner, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    r = installation.invoke(cli, ["etl", "load", "--date", "20260105", "--dir", str(inbox)])
    assert r.exit_code == 1
    assert "bankcrm orgs import FILE" in " ".join(r.output.split())
