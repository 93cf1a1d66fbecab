"""The audit trail (SEC-5): append-only records, each hash-chained to the one before.

``append`` writes in the caller's transaction, so an audited change and its record commit or
roll back together. The chain head row is locked while appending, which serialises writers
on PostgreSQL; SQLite serialises writers by itself.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bankcrm.auth.models import AuditHead, AuditRecord

GENESIS = "0" * 64


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    username: str
    ip: str | None = None


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
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _head(db: Session) -> AuditHead:
    head = db.scalars(select(AuditHead).with_for_update()).one_or_none()
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
