"""Data-quality work list (ETL-6, ETL-7): issues raised by identity resolution and org unification,
and the org-code mappings staff maintain. Repairs are audited."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bankcrm.auth import audit
from bankcrm.auth.principal import Principal
from bankcrm.auth.scope import account_within, dq_issue_clause, get_org_in_scope, org_within, readable_customers
from bankcrm.customers.models import AccountLink, Customer, CustomerManager
from bankcrm.customers.service import account_org
from bankcrm.db import write_lock
from bankcrm.errors import BadRequest, Conflict, NotFound
from bankcrm.etl.layouts import SYSTEMS
from bankcrm.etl.models import DqIssue, DqStatus
from bankcrm.orgs.models import Org, OrgMapping, OrgMappingRule
from bankcrm.warehouse import Warehouse


def list_issues(
    db: Session, p: Principal, *, kind: str | None, status: DqStatus | None, page: int, page_size: int
) -> tuple[list[DqIssue], int]:
    """Issues in the caller's scope (``auth.scope.dq_issue_clause``)."""
    stmt = select(DqIssue).where(dq_issue_clause(db, p))
    if kind:
        stmt = stmt.where(DqIssue.kind == kind)
    if status:
        stmt = stmt.where(DqIssue.status == status)
    total = db.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = db.scalars(stmt.order_by(DqIssue.id.desc()).offset((page - 1) * page_size).limit(page_size)).all()
    return list(rows), total


def close_issue(db: Session, p: Principal, issue_id: int, status: DqStatus, note: str, *, now: datetime) -> DqIssue:
    issue = db.scalar(select(DqIssue).where(DqIssue.id == issue_id, dq_issue_clause(db, p)))
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


def _resolve_issues(db: Session, p: Principal, issues: list[DqIssue], note: str, now: datetime) -> None:
    for issue in issues:
        if issue.status == DqStatus.open:
            issue.status, issue.resolved_at, issue.resolved_by, issue.note = DqStatus.resolved, now, p.username, note


def list_rules(db: Session) -> list[OrgMappingRule]:
    return list(db.scalars(select(OrgMappingRule).order_by(OrgMappingRule.system)))


def save_rule(
    db: Session, p: Principal, system: str, strip_prefix: str, add_prefix: str, *, now: datetime
) -> tuple[OrgMappingRule, int, int]:
    """Save a system's rule and apply it to that system's unmapped codes whose target org exists and
    lies in the caller's scope. A rule with neither prefix is the identity mapping: each code names the
    org of the same code (codes equal in both systems). Returns the rule, the codes mapped now and
    those still unmapped."""
    if system not in SYSTEMS:
        raise BadRequest(f"未知源系统 / unknown source system: {system}", code="unknown_system")
    rule = db.get(OrgMappingRule, system)
    if rule is None:
        rule = OrgMappingRule(system=system)
        db.add(rule)
    rule.strip_prefix, rule.add_prefix, rule.updated_at, rule.updated_by = strip_prefix, add_prefix, now, p.username
    db.flush()
    orgs = {o.code: o for o in db.scalars(select(Org))}
    mapped = still = 0
    for m in db.scalars(select(OrgMapping).where(OrgMapping.system == system, OrgMapping.org_id.is_(None))):
        code = rule.target(m.src_code)
        org = orgs.get(code) if code else None
        if org is None or not org_within(p, org):
            still += 1
            continue
        m.org_id, m.method, m.updated_at = org.id, "rule", now
        mapped += 1
        _resolve_issues(
            db,
            p,
            list(
                db.scalars(
                    select(DqIssue).where(
                        DqIssue.kind == "unmapped_org",
                        DqIssue.key == f"{system}:{m.src_code}",
                        DqIssue.status == DqStatus.open,
                    )
                )
            ),
            f"mapped by rule to {org.code}",
            now,
        )
    db.flush()
    audit.append(
        db,
        p.actor,
        "org.mapping_rule",
        at=now,
        target_type="org_mapping_rule",
        target_id=system,
        detail={"strip_prefix": strip_prefix, "add_prefix": add_prefix, "mapped": mapped, "unmapped": still},
    )
    return rule, mapped, still


def delete_rule(db: Session, p: Principal, system: str, *, now: datetime) -> None:
    """Stop applying the rule to new codes; mappings it made stay (they can be changed one by one)."""
    rule = db.get(OrgMappingRule, system)
    if rule is None:
        raise NotFound("规则不存在 / rule not found")
    db.delete(rule)
    db.flush()
    audit.append(db, p.actor, "org.mapping_rule.delete", at=now, target_type="org_mapping_rule", target_id=system)


def _customer_in_scope(db: Session, p: Principal, customer_id: int) -> Customer:
    c = db.scalar(readable_customers(p).where(Customer.id == customer_id))
    if c is None:
        raise NotFound("客户不存在 / customer not found")
    return c


def merge_customers(
    db: Session, p: Principal, survivor_id: int, merged_id: int, note: str, *, now: datetime
) -> tuple[Customer, int]:
    """One person under two records (two ID formats, a re-issued ID): move the merged record's account
    links and managers to the survivor and keep the merged record as history. Returns the survivor
    and the number of links moved."""
    if survivor_id == merged_id:
        raise BadRequest("不能与自身合并 / a customer cannot be merged into itself", code="same_customer")
    survivor = _customer_in_scope(db, p, survivor_id)
    merged = _customer_in_scope(db, p, merged_id)
    if survivor.type != merged.type:
        raise Conflict(
            "个人与对公客户不能合并 / personal and corporate customers cannot be merged", code="type_mismatch"
        )
    links = list(db.scalars(select(AccountLink).where(AccountLink.customer_id == merged.id)))
    for link in links:
        link.customer_id, link.method, link.linked_at, link.linked_by = survivor.id, "merged", now, p.username
    held = {m.user_id for m in db.scalars(select(CustomerManager).where(CustomerManager.customer_id == survivor.id))}
    for m in db.scalars(select(CustomerManager).where(CustomerManager.customer_id == merged.id)):
        if m.user_id in held:
            db.delete(m)  # the survivor's own assignment (and share) stands
        else:
            m.end_date = now.date()  # history: the assignment ended with the merge
    merged.merged_into_id, merged.updated_at = survivor.id, now
    for earlier in db.scalars(select(Customer).where(Customer.merged_into_id == merged.id)):
        earlier.merged_into_id = survivor.id  # no chains: every merged record names the survivor
    survivor.updated_at = now
    _resolve_issues(
        db,
        p,
        list(
            db.scalars(
                select(DqIssue).where(
                    DqIssue.status == DqStatus.open, DqIssue.customer_id.in_([survivor.id, merged.id])
                )
            )
        ),
        f"merged {merged.customer_no} into {survivor.customer_no}: {note}",
        now,
    )
    db.flush()
    audit.append(
        db,
        p.actor,
        "customer.merge",
        at=now,
        target_type="customer",
        target_id=survivor.id,
        detail={"merged_id": merged.id, "links_moved": len(links), "note": note},
    )
    return survivor, len(links)


def relink_account(
    db: Session,
    wh: Warehouse,
    p: Principal,
    system: str,
    account_no: str,
    customer_id: int,
    note: str,
    *,
    now: datetime,
) -> AccountLink:
    """Move one source account to another customer (splitting a wrongly joined record, or following
    an account that now names another holder). Both customers must be in the caller's scope, and the
    account's own org too (``scope.account_within``, as every other way of linking an account)."""
    write_lock(db)
    _, org_code = account_org(wh, system, account_no)
    if not account_within(db, p, system, org_code):
        raise NotFound("账户未关联客户 / account link not found")
    link = db.scalar(select(AccountLink).where(AccountLink.system == system, AccountLink.account_no == account_no))
    if link is None:
        raise NotFound("账户未关联客户 / account link not found")
    _customer_in_scope(db, p, link.customer_id)
    target = _customer_in_scope(db, p, customer_id)
    if target.id == link.customer_id:
        raise BadRequest("账户已属于该客户 / the account already belongs to this customer", code="same_customer")
    before = link.customer_id
    link.customer_id, link.method, link.linked_at, link.linked_by = target.id, "manual", now, p.username
    _resolve_issues(
        db,
        p,
        list(
            db.scalars(
                select(DqIssue).where(
                    DqIssue.status == DqStatus.open,
                    DqIssue.kind == "link_changed",
                    DqIssue.key == f"{system}:{account_no}",
                )
            )
        ),
        f"relinked to {target.customer_no}: {note}",
        now,
    )
    db.flush()
    audit.append(
        db,
        p.actor,
        "customer.relink",
        at=now,
        target_type="account_link",
        target_id=link.id,
        detail={"from_customer_id": before, "to_customer_id": target.id, "note": note},
    )
    return link
