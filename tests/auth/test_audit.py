"""The audit trail is append-only and hash-chained; verification finds an edited or removed row."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from bankcrm.auth import audit
from bankcrm.auth.models import AuditRecord
from bankcrm.clock import FrozenClock

from ..builders import Bank, login


def _records(db: Session, clock: FrozenClock, n: int = 5) -> list[AuditRecord]:
    return [audit.append(db, audit.SYSTEM_ACTOR, "test.event", at=clock.now(), detail={"i": i}) for i in range(n)]


def _disable_guard(db: Session) -> None:
    """What a DBA with full rights could do: switch off the append-only triggers."""
    if db.get_bind().dialect.name == "sqlite":
        db.execute(text("DROP TRIGGER audit_record_no_update"))
        db.execute(text("DROP TRIGGER audit_record_no_delete"))
    else:
        db.execute(text("ALTER TABLE audit_record DISABLE TRIGGER USER"))


def test_intact_chain_verifies(db: Session, clock: FrozenClock) -> None:
    _records(db, clock)
    r = audit.verify(db)
    assert r.ok and r.checked >= 5


def test_database_refuses_update_and_delete(db: Session, clock: FrozenClock) -> None:
    rec = _records(db, clock, 1)[0]
    db.commit()
    with pytest.raises(DBAPIError), db.begin_nested():
        db.execute(text("UPDATE audit_record SET action = 'x' WHERE id = :id"), {"id": rec.id})
    with pytest.raises(DBAPIError), db.begin_nested():
        db.execute(text("DELETE FROM audit_record WHERE id = :id"), {"id": rec.id})


def test_edited_row_is_detected(db: Session, clock: FrozenClock) -> None:
    recs = _records(db, clock)
    db.commit()
    _disable_guard(db)
    db.execute(text("UPDATE audit_record SET detail = :d WHERE id = :id"), {"d": '{"i": 99}', "id": recs[2].id})
    db.expire_all()
    r = audit.verify(db)
    assert not r.ok and r.first_bad_id == recs[2].id and "hash" in (r.reason or "")


def test_removed_row_is_detected(db: Session, clock: FrozenClock) -> None:
    recs = _records(db, clock)
    db.commit()
    _disable_guard(db)
    db.execute(text("DELETE FROM audit_record WHERE id = :id"), {"id": recs[1].id})
    r = audit.verify(db)
    assert not r.ok and r.first_bad_id == recs[1].id


def test_removed_tail_is_detected(db: Session, clock: FrozenClock) -> None:
    recs = _records(db, clock)
    db.commit()
    _disable_guard(db)
    db.execute(text("DELETE FROM audit_record WHERE id = :id"), {"id": recs[-1].id})
    assert not audit.verify(db).ok


def _truncate(db: Session, keep: AuditRecord) -> None:
    """What a DBA could do: drop the records after ``keep`` and rewind the head to it."""
    _disable_guard(db)
    db.execute(text("DELETE FROM audit_record WHERE id > :id"), {"id": keep.id})
    db.execute(text("UPDATE audit_head SET last_id = :id, last_hash = :h"), {"id": keep.id, "h": keep.hash})


@pytest.fixture
def anchored(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    from bankcrm.config import get_settings

    path = tmp_path / "elsewhere" / "audit-anchor.log"
    monkeypatch.setenv("BANKCRM_AUDIT_ANCHOR", str(path))
    get_settings.cache_clear()
    yield path
    get_settings.cache_clear()


def test_truncation_is_detected_by_the_checkpoints_outside(db: Session, clock: FrozenClock, anchored) -> None:  # type: ignore[no-untyped-def]
    recs = _records(db, clock)
    db.commit()  # each commit that audited something appends a signed checkpoint outside the database
    assert anchored.is_file()
    _truncate(db, recs[2])
    assert audit.verify(db).ok  # the chain alone cannot tell: that was the finding
    r = audit.verify(db, anchor=anchored)
    assert not r.ok and r.first_bad_id == recs[3].id and "removed" in (r.reason or "")


def test_a_forged_checkpoint_is_refused(db: Session, clock: FrozenClock, anchored) -> None:  # type: ignore[no-untyped-def]
    recs = _records(db, clock, 2)
    db.commit()
    assert audit.verify(db, anchor=anchored).ok and audit.verify(db, anchor=anchored).anchored >= 1
    with anchored.open("a") as f:
        f.write(json.dumps({"id": 1, "hash": recs[0].hash, "at": "x", "sig": "0" * 64}) + "\n")
    r = audit.verify(db, anchor=anchored)
    assert not r.ok and "signed" in (r.reason or "")


def test_a_rolled_back_change_leaves_no_checkpoint(db: Session, clock: FrozenClock, anchored) -> None:  # type: ignore[no-untyped-def]
    _records(db, clock, 1)
    db.rollback()
    assert not anchored.exists()


def test_api_search_and_verify(client: TestClient, bank: Bank, db: Session) -> None:
    login(client, "admin")
    client.post("/api/auth/login", json={"username": "nj_admin", "password": "wrong"})
    login(client, "auditor")
    page = client.get("/api/audit", params={"action": "login"}).json()
    acts = {i["action"] for i in page["items"]}
    assert {"login.success", "login.failure"} <= acts
    assert client.get("/api/audit/verify").json()["ok"] is True
    # Nothing in the trail ever holds a password.
    assert "wrong" not in str(db.scalars(select(AuditRecord.detail)).all())


def test_branch_admin_sees_only_own_subtree_actions(client: TestClient, bank: Bank) -> None:
    sz = TestClient(client.app)
    login(sz, "sz_admin")
    login(client, "nj_admin")
    actors = {i["actor_username"] for i in client.get("/api/audit?page_size=200").json()["items"]}
    assert "sz_admin" not in actors and "nj_admin" in actors


def test_cli_verify(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from bankcrm.cli import app as cli
    from bankcrm.config import get_settings

    monkeypatch.setenv("BANKCRM_VAR_DIR", str(tmp_path))
    monkeypatch.delenv("BANKCRM_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    try:
        runner = CliRunner()
        assert runner.invoke(cli, ["demo", "--no-serve", "--quick"]).exit_code == 0
        ok = runner.invoke(cli, ["audit", "verify"])
        assert ok.exit_code == 0 and "intact" in ok.output
        import sqlite3

        con = sqlite3.connect(tmp_path / "bankcrm.sqlite3")
        con.execute("DROP TRIGGER audit_record_no_update")
        con.execute("UPDATE audit_record SET actor_username = 'mallory' WHERE id = 1")
        con.commit()
        con.close()
        bad = runner.invoke(cli, ["audit", "verify"])
        assert bad.exit_code == 1 and "broken" in bad.output
    finally:
        get_settings.cache_clear()


def test_cli_verify_detects_a_cut_trail(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The penetration test's attack end to end: drop the delete trigger, delete the newest record, rewind
    the head. The chain is self-consistent again; the checkpoints under var/ tell."""
    import sqlite3

    from bankcrm.cli import app as cli
    from bankcrm.config import get_settings

    monkeypatch.setenv("BANKCRM_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("BANKCRM_AUDIT_ANCHOR", "")  # the default: <var_dir>/audit-anchor.log
    monkeypatch.delenv("BANKCRM_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    try:
        runner = CliRunner()
        assert runner.invoke(cli, ["demo", "--no-serve", "--quick"]).exit_code == 0
        ok = runner.invoke(cli, ["audit", "verify"])
        assert ok.exit_code == 0 and "checkpoints" in ok.output, ok.output
        con = sqlite3.connect(tmp_path / "bankcrm.sqlite3")
        last, prev = con.execute("SELECT id, prev_hash FROM audit_record ORDER BY id DESC LIMIT 1").fetchone()
        con.execute("DROP TRIGGER audit_record_no_delete")
        con.execute("DELETE FROM audit_record WHERE id = ?", (last,))
        con.execute("UPDATE audit_head SET last_id = ?, last_hash = ?", (last - 1, prev))
        con.commit()
        con.close()
        bad = runner.invoke(cli, ["audit", "verify"])
        assert bad.exit_code == 1 and "removed" in bad.output, bad.output
    finally:
        get_settings.cache_clear()
