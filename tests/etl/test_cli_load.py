"""`bankcrm etl load`: what a date that fails prints (SQLite, the embedded warehouse)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bankcrm import cli as cli_module
from bankcrm.cli import app as cli
from bankcrm.config import get_settings

TREE = "机构代码,机构名称,上级机构代码,机构级别\n000000,总行,,总行\n320000,江苏省分行,000000,省分行\n"


@pytest.fixture
def installation(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    monkeypatch.setenv("BANKCRM_VAR_DIR", str(tmp_path))
    monkeypatch.delenv("BANKCRM_DATABASE_URL", raising=False)
    monkeypatch.setattr(cli_module.console, "width", 200)
    get_settings.cache_clear()
    runner = CliRunner()
    try:
        assert runner.invoke(cli, ["db", "upgrade"]).exit_code == 0
        tree = tmp_path / "tree.csv"
        tree.write_text(TREE, encoding="utf-8")
        assert runner.invoke(cli, ["orgs", "import", str(tree), "--apply"]).exit_code == 0
        yield runner
    finally:
        get_settings.cache_clear()


def test_a_failed_date_says_nothing_was_published(installation: CliRunner, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    r = installation.invoke(cli, ["etl", "load", "--date", "20260105", "--dir", str(inbox)])
    assert r.exit_code == 1
    out = " ".join(r.output.split())
    assert "失败：缺少数据文件" in out and "未发布任何数据 / failed: data file missing" in out
    assert out.endswith("; nothing published")
    assert "accepted" not in out and "rejected" not in out  # no counts that read as published
