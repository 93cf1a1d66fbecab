"""The audit trail is append-only and hash-chained; verification finds an edited or removed row."""

from __future__ import annotations

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
