"""Data-quality work list (ETL-6, ETL-7): issues raised by identity resolution and org unification,
and the org-code mappings staff maintain. Repairs are audited."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bankcrm.auth import audit
from bankcrm.auth.principal import Principal
from bankcrm.auth.scope import get_org_in_scope
from bankcrm.errors import BadRequest, NotFound
from bankcrm.etl.models import DqIssue, DqStatus
from bankcrm.orgs.models import OrgMapping


def list_issues(
    db: Session, *, kind: str | None, status: DqStatus | None, page: int, page_size: int
) -> tuple[list[DqIssue], int]:
    stmt = select(DqIssue)
    if kind:
        stmt = stmt.where(DqIssue.kind == kind)
    if status:
        stmt = stmt.where(DqIssue.status == status)
    total = db.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = db.scalars(stmt.order_by(DqIssue.id.desc()).offset((page - 1) * page_size).limit(page_size)).all()
    return list(rows), total


def close_issue(db: Session, p: Principal, issue_id: int, status: DqStatus, note: str, *, now: datetime) -> DqIssue:
    issue = db.get(DqIssue, issue_id)
    if issue is None:
        raise NotFound("问题不存在 / issue not found")
    if issue.status != DqStatus.open:
        raise BadRequest("问题已处理 / the issue is closed already", code="issue_closed")
    issue.status, issue.note, issue.resolved_at, issue.resolved_by = status, note, now, p.username
    db.flush()
    audit.append(
        db,
        p.actor,
        f"dq.{status.value}",
        at=now,
        target_type="dq_issue",
        target_id=issue.id,
        detail={"kind": issue.kind, "note": note},
    )
    return issue


def list_mappings(db: Session, *, unmapped_only: bool, page: int, page_size: int) -> tuple[list[OrgMapping], int]:
    stmt = select(OrgMapping)
    if unmapped_only:
        stmt = stmt.where(OrgMapping.org_id.is_(None))
    total = db.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = db.scalars(
        stmt.order_by(OrgMapping.org_id.is_not(None), OrgMapping.system, OrgMapping.src_code)
        .offset((page - 1) * page_size)
        .limit(page_size)
    ).all()
    return list(rows), total


def map_org(db: Session, p: Principal, system: str, src_code: str, org_id: int, *, now: datetime) -> OrgMapping:
    m = db.get(OrgMapping, (system, src_code))
    if m is None:
        raise NotFound("源系统机构号不存在 / source org code not found")
    org = get_org_in_scope(db, p, org_id)
    before = m.org_id
    m.org_id, m.method, m.updated_at = org.id, "manual", now
    for issue in db.scalars(
        select(DqIssue).where(
            DqIssue.kind == "unmapped_org", DqIssue.key == f"{system}:{src_code}", DqIssue.status == DqStatus.open
        )
    ):
        issue.status, issue.resolved_at, issue.resolved_by = DqStatus.resolved, now, p.username
        issue.note = f"mapped to {org.code}"
    db.flush()
    audit.append(
        db,
        p.actor,
        "org.mapping",
        at=now,
        target_type="org_mapping",
        target_id=f"{system}:{src_code}",
        detail={"from_org_id": before, "to_org_id": org.id},
    )
    return m
