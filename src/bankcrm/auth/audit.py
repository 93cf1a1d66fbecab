"""The audit trail (SEC-5): append-only records, each hash-chained to the one before.

``append`` writes in the caller's transaction, so an audited change and its record commit or
roll back together. The chain head row is locked while appending, which serialises writers
on PostgreSQL; on SQLite the head is read under the write lock (``db.write_lock``).

The chain alone cannot tell that its newest records were removed by someone who can also rewrite
the head row. So after every commit that audited something, a signed checkpoint of the head (id,
hash) is appended to a file kept outside the database (``settings.audit_anchor``) and logged;
``verify`` checks every checkpoint against the trail: a checkpointed record that is gone or differs
means the trail was cut or rewritten.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from bankcrm.auth.models import AuditHead, AuditRecord
from bankcrm.auth.principal import Actor, Principal
from bankcrm.auth.scope import audit_clause
from bankcrm.config import get_settings
from bankcrm.db import write_lock

GENESIS = "0" * 64
log = logging.getLogger("bankcrm.audit")
_PENDING = "bankcrm_audit_checkpoint"  # session.info: the head this transaction will commit


SYSTEM_ACTOR = Actor(None, "system")


def _sign(canonical: str) -> str:
    key = get_settings().audit_key
    if key is not None:
        return hmac.new(key.get_secret_value().encode("utf-8"), canonical.encode("utf-8"), hashlib.sha256).hexdigest()
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


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
    return _sign(canonical)


# -- checkpoints outside the database --------------------------------------------------------------


def anchor_path() -> Path | None:
    return get_settings().resolved_audit_anchor()


def _checkpoint_body(last_id: int, last_hash: str) -> str:
    return json.dumps({"id": last_id, "hash": last_hash}, sort_keys=True, separators=(",", ":"))


def write_checkpoint(path: Path, last_id: int, last_hash: str, *, at: datetime) -> None:
    """Append one signed line (HMAC under ``audit_key`` when set); one ``write`` of an O_APPEND file, so
    concurrent writers never interleave a line."""
    body = _checkpoint_body(last_id, last_hash)
    line = json.dumps({"id": last_id, "hash": last_hash, "at": at.isoformat(), "sig": _sign(body)}) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, line.encode("ascii"))
    finally:
        os.close(fd)
    log.info("audit.checkpoint", extra={"audit_id": last_id, "audit_hash": last_hash})


@event.listens_for(Session, "after_commit")
def _checkpoint_after_commit(session: Session) -> None:
    pending = session.info.pop(_PENDING, None)
    path = anchor_path()
    if pending is None or path is None:
        return
    try:
        write_checkpoint(path, pending[0], pending[1], at=pending[2])
    except OSError:
        # The change is committed: refusing it now is impossible; the operators must hear of it.
        log.exception("audit checkpoint could not be written", extra={"audit_id": pending[0]})


@event.listens_for(Session, "after_soft_rollback")
def _forget_checkpoint(session: Session, _previous: Any) -> None:
    session.info.pop(_PENDING, None)


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
    db.info[_PENDING] = (rec.id, rec.hash, at)
    return rec


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    first_bad_id: int | None
    reason: str | None
    anchored: int = 0
    """Checkpoints outside the database that the trail was checked against."""


def verify(db: Session, batch: int = 5000, *, anchor: Path | None = None) -> VerifyResult:
    """Recompute the chain from the first record; report the first record that does not fit. With
    ``anchor`` (``anchor_path()``), also check the trail against the checkpoints kept outside.

    Read in this order, so that audited work going on meanwhile raises no false alarm: the checkpoints
    first (each names a record committed before the line was written), then the head, then the records
    up to the head (on PostgreSQL, records committed after the head was read are not walked)."""
    points = _read_anchor(anchor) if anchor is not None else None
    if isinstance(points, VerifyResult):
        return points
    head = db.execute(select(AuditHead.last_id, AuditHead.last_hash)).one_or_none()
    prev = GENESIS
    expected_id = 1
    checked = 0
    last_id = 0
    table = AuditRecord.__table__
    while True:
        stmt = select(table).where(table.c.id > last_id)
        if head is not None:
            stmt = stmt.where(table.c.id <= head.last_id)
        rows = db.execute(stmt.order_by(table.c.id).limit(batch)).all()
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
    if head is not None and (head.last_id != checked or head.last_hash != prev):
        return VerifyResult(False, checked, checked + 1, "records after the last one were removed")
    if anchor is not None:
        if points is None:
            if checked:
                missing = f"anchor file {anchor} is missing: truncation cannot be ruled out"
                return VerifyResult(False, checked, None, missing)
            return VerifyResult(True, checked, None, None)
        return _check_anchor(db, points, checked)
    return VerifyResult(True, checked, None, None)


def _read_anchor(path: Path) -> dict[int, str] | VerifyResult | None:
    """The checkpoints kept outside (record id -> hash); None when there is no file yet."""
    if not path.is_file():
        return None
    points: dict[int, str] = {}
    with path.open(encoding="ascii", errors="replace") as f:
        for n, line in enumerate(f, start=1):
            try:
                cp = json.loads(line)
                last_id, last_hash, sig = int(cp["id"]), str(cp["hash"]), str(cp["sig"])
            except (ValueError, KeyError, TypeError):
                return VerifyResult(False, 0, None, f"anchor line {n} is damaged")
            if not hmac.compare_digest(sig, _sign(_checkpoint_body(last_id, last_hash))):
                return VerifyResult(False, 0, None, f"anchor line {n} is not signed with this installation's key")
            points[last_id] = last_hash
    return points


def _check_anchor(db: Session, points: dict[int, str], checked: int) -> VerifyResult:
    """Every checkpoint names a record the trail must still hold, with that hash."""
    newest = max(points, default=0)
    if newest > checked:
        removed = f"records {checked + 1}..{newest} were removed (the anchor saw record {newest})"
        return VerifyResult(False, checked, checked + 1, removed)
    ids = sorted(points)
    table = AuditRecord.__table__
    for i in range(0, len(ids), 1000):
        chunk = ids[i : i + 1000]
        held = {r.id: r.hash for r in db.execute(select(table.c.id, table.c.hash).where(table.c.id.in_(chunk)))}
        for rid in chunk:
            if held.get(rid) != points[rid]:
                return VerifyResult(False, checked, rid, "record differs from its checkpoint outside the database")
    return VerifyResult(True, checked, None, None, anchored=len(points))


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
