"""The audit trail (SEC-5): append-only records, each hash-chained to the one before.

``append`` writes in the caller's transaction, so an audited change and its record commit or
roll back together. The chain head row is locked while appending, which serialises writers
on PostgreSQL; SQLite serialises writers by itself.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bankcrm.auth.models import AuditHead, AuditRecord
from bankcrm.auth.principal import Actor, Principal
from bankcrm.auth.scope import audit_clause
from bankcrm.config import get_settings
from bankcrm.db import write_lock

GENESIS = "0" * 64


SYSTEM_ACTOR = Actor(None, "system")


def record_hash(prev_hash: str, rec: Any) -> str:
    """Hash of a record (an ORM object or a row with the same attribute names)."""
    payload = {
        "id": rec.id,
        "at": rec.at.isoformat(timespec="microseconds"),
        "actor_user_id": rec.actor_user_id,
        "actor_username": rec.actor_username,
        "action": rec.action,
        "target_type": rec.target_type,
        "target_id": rec.target_id,
        "detail": rec.detail,
        "ip": rec.ip,
        "prev": prev_hash,
    }
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    key = get_settings().audit_key
    if key is not None:
        return hmac.new(key.get_secret_value().encode("utf-8"), canonical.encode("utf-8"), hashlib.sha256).hexdigest()
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


_HEAD = select(AuditHead).with_for_update()


def _head(db: Session) -> AuditHead:
    write_lock(db)  # SQLite: the head must be read under the write lock, or two appends fork the chain
    head = db.scalars(_HEAD).one_or_none()
    if head is None:
        head = AuditHead(singleton=1, last_id=0, last_hash=GENESIS)
        db.add(head)
        db.flush()
    return head


def append(
    db: Session,
    actor: Actor,
    action: str,
    *,
    at: datetime,
    target_type: str | None = None,
    target_id: object = None,
    detail: dict[str, Any] | None = None,
) -> AuditRecord:
    head = _head(db)
    rec = AuditRecord(
        id=head.last_id + 1,
        at=at,
        actor_user_id=actor.user_id,
        actor_username=actor.username,
        action=action,
        target_type=target_type,
        target_id=None if target_id is None else str(target_id),
        detail=json.loads(json.dumps(detail or {}, default=str)),
        ip=actor.ip,
        prev_hash=head.last_hash,
        hash="",
    )
    rec.hash = record_hash(head.last_hash, rec)
    db.add(rec)
    head.last_id = rec.id
    head.last_hash = rec.hash
    db.flush()
    return rec


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    first_bad_id: int | None
    reason: str | None


def verify(db: Session, batch: int = 5000) -> VerifyResult:
    """Recompute the chain from the first record; report the first record that does not fit."""
    prev = GENESIS
    expected_id = 1
    checked = 0
    last_id = 0
    while True:
        table = AuditRecord.__table__
        rows = db.execute(select(table).where(table.c.id > last_id).order_by(table.c.id).limit(batch)).all()
        if not rows:
            break
        for rec in rows:
            if rec.id != expected_id:
                return VerifyResult(False, checked, expected_id, "record missing (gap in ids)")
            if rec.prev_hash != prev:
                return VerifyResult(False, checked, rec.id, "link to previous record broken")
            if record_hash(prev, rec) != rec.hash:
                return VerifyResult(False, checked, rec.id, "record content does not match its hash")
            prev = rec.hash
            expected_id += 1
            checked += 1
            last_id = rec.id
    head = db.scalars(select(AuditHead)).one_or_none()
    if head is not None and (head.last_id != checked or head.last_hash != prev):
        return VerifyResult(False, checked, checked + 1, "records after the last one were removed")
    return VerifyResult(True, checked, None, None)


class AuditFilter(BaseModel):
    action: str | None = None
    actor: str | None = None
    date_from: date | None = None
    date_to: date | None = None


def search(db: Session, p: Principal, f: AuditFilter, *, page: int, page_size: int) -> tuple[list[AuditRecord], int]:
    """Audit records the caller may read (``scope.audit_clause``), newest first."""
    stmt = select(AuditRecord).where(audit_clause(p))
    if f.action:
        stmt = stmt.where(AuditRecord.action.startswith(f.action, autoescape=True))
    if f.actor:
        stmt = stmt.where(AuditRecord.actor_username == f.actor.strip().lower())
    if f.date_from:
        stmt = stmt.where(AuditRecord.at >= datetime.combine(f.date_from, time.min))
    if f.date_to:
        stmt = stmt.where(AuditRecord.at < datetime.combine(f.date_to + timedelta(days=1), time.min))
    total = db.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = db.scalars(stmt.order_by(AuditRecord.id.desc()).offset((page - 1) * page_size).limit(page_size)).all()
    return list(rows), total
