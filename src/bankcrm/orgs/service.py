"""Org tree maintenance: create, rename, move, merge, close; every change kept in history."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any, cast

from sqlalchemy import CursorResult, Result, func, select, update
from sqlalchemy.orm import Session, sessionmaker

from bankcrm.auth import audit
from bankcrm.auth.models import Role, User
from bankcrm.auth.principal import Principal
from bankcrm.auth.scope import get_org_in_scope, readable_orgs
from bankcrm.customers.models import Customer
from bankcrm.db import write_lock
from bankcrm.errors import BadRequest, Conflict
from bankcrm.orgs.models import Org, OrgHistory, OrgLevel, OrgStatus
from bankcrm.orgs.schemas import OrgCreateIn, OrgNode, OrgOut

LEVEL_RANK = {lvl: i for i, lvl in enumerate(OrgLevel)}


def _history(db: Session, p: Principal, org: Org, action: str, detail: dict[str, Any], now: datetime) -> None:
    db.add(OrgHistory(org_id=org.id, action=action, detail=detail, actor_username=p.username, at=now))
    audit.append(db, p.actor, f"org.{action}", at=now, target_type="org", target_id=org.id, detail=detail)


def tree(db: Session, p: Principal) -> list[OrgNode]:
    orgs = db.scalars(readable_orgs(p).order_by(Org.path)).all()
    nodes = {o.id: OrgNode.model_validate(OrgOut.model_validate(o).model_dump()) for o in orgs}
    roots: list[OrgNode] = []
    for o in orgs:
        node = nodes[o.id]
        parent = nodes.get(o.parent_id) if o.parent_id is not None else None
        if parent is None:
            roots.append(node)
        else:
            parent.children.append(node)
    return roots


def create_root(db: Session, code: str, name: str, *, now: datetime) -> Org:
    """The head office; only set-up (CLI, demo) creates it."""
    if db.scalar(select(func.count()).select_from(Org).where(Org.parent_id.is_(None))):
        raise Conflict("总行已存在 / the head office exists already")
    org = Org(code=code, name=name, level=OrgLevel.head, parent_id=None, path="", created_at=now)
    db.add(org)
    db.flush()
    org.path = f"/{org.id}/"
    db.flush()
    return org


def _rowcount(result: Result[Any]) -> int:
    return int(cast(CursorResult[Any], result).rowcount)


def _lock_tree(db: Session) -> None:
    """Serialise changes to the tree's shape (create, move, merge, close) by locking the head office
    row, then drop what this session read before, so checks run on current paths: two concurrent
    moves can otherwise each pass the cycle check and together make a cycle."""
    write_lock(db)
    db.execute(select(Org.id).where(Org.parent_id.is_(None)).with_for_update())
    db.expire_all()


def _active(org: Org) -> None:
    if org.status != OrgStatus.active:
        raise BadRequest("机构已撤销 / the org is closed", code="org_closed")


def create(db: Session, p: Principal, data: OrgCreateIn, *, now: datetime) -> Org:
    _lock_tree(db)
    parent = get_org_in_scope(db, p, data.parent_id)
    _active(parent)
    if LEVEL_RANK[data.level] < LEVEL_RANK[parent.level]:
        raise BadRequest(
            "下级机构的层级不能高于上级 / a child cannot sit above its parent's level", code="invalid_level"
        )
    if data.level == OrgLevel.head:
        raise BadRequest("只能有一个总行 / there is only one head office", code="invalid_level")
    if db.scalar(select(Org.id).where(Org.code == data.code)) is not None:
        raise Conflict("机构代码已存在 / org code already taken", code="org_code_taken")
    org = Org(code=data.code, name=data.name, level=data.level, parent_id=parent.id, path="", created_at=now)
    db.add(org)
    db.flush()
    org.path = f"{parent.path}{org.id}/"
    db.flush()
    _history(db, p, org, "create", {"code": org.code, "name": org.name, "parent_id": parent.id}, now)
    return org


def rename(db: Session, p: Principal, org_id: int, name: str, *, now: datetime) -> Org:
    org = get_org_in_scope(db, p, org_id)
    _active(org)
    old = org.name
    org.name = name
    db.flush()
    _history(db, p, org, "rename", {"from": old, "to": name}, now)
    return org


def _subtree(db: Session, org: Org) -> list[Org]:
    return list(db.scalars(select(Org).where(Org.path.startswith(org.path, autoescape=True))).all())


def _reparent(db: Session, org: Org, new_parent: Org) -> None:
    old_prefix = org.path
    new_prefix = f"{new_parent.path}{org.id}/"
    for o in _subtree(db, org):
        o.path = new_prefix + o.path[len(old_prefix) :]
    org.parent_id = new_parent.id
    db.flush()


def move(db: Session, p: Principal, org_id: int, new_parent_id: int, *, now: datetime) -> Org:
    _lock_tree(db)
    org = get_org_in_scope(db, p, org_id)
    parent = get_org_in_scope(db, p, new_parent_id)
    _active(org)
    _active(parent)
    if org.parent_id is None:
        raise BadRequest("总行不能迁移 / the head office cannot move", code="invalid_move")
    if parent.path.startswith(org.path):
        raise BadRequest(
            "不能迁移到自身或下级之下 / cannot move under itself or its own descendant", code="invalid_move"
        )
    if LEVEL_RANK[org.level] < LEVEL_RANK[parent.level]:
        raise BadRequest(
            "新上级的层级不能低于本机构 / the new parent cannot sit below this org's level", code="invalid_level"
        )
    old_parent = org.parent_id
    _reparent(db, org, parent)
    _history(db, p, org, "move", {"from_parent_id": old_parent, "to_parent_id": parent.id}, now)
    return org


def merge(db: Session, p: Principal, org_id: int, into_id: int, *, now: datetime) -> Org:
    """Merge ``org_id`` into ``into_id``: its customers, users, roles and child orgs move over,
    and it is closed with a pointer to the survivor."""
    _lock_tree(db)
    src = get_org_in_scope(db, p, org_id)
    dst = get_org_in_scope(db, p, into_id)
    _active(src)
    _active(dst)
    if src.id == dst.id or dst.path.startswith(src.path):
        raise BadRequest("不能并入自身或其下级 / cannot merge into itself or its own descendant", code="invalid_merge")
    if src.parent_id is None:
        raise BadRequest("总行不能被合并 / the head office cannot be merged", code="invalid_merge")
    customers = _rowcount(db.execute(update(Customer).where(Customer.org_id == src.id).values(org_id=dst.id)))
    users = _rowcount(db.execute(update(User).where(User.org_id == src.id).values(org_id=dst.id)))
    db.execute(update(Role).where(Role.org_id == src.id).values(org_id=dst.id))
    children = list(db.scalars(select(Org).where(Org.parent_id == src.id)).all())
    for child in children:
        _reparent(db, child, dst)
    src.status = OrgStatus.closed
    src.closed_at = now
    src.merged_into_id = dst.id
    db.flush()
    db.expire_all()
    detail = {
        "into_org_id": dst.id,
        "customers_moved": customers,
        "users_moved": users,
        "children_moved": [c.id for c in children],
    }
    _history(db, p, src, "merge", detail, now)
    _history(
        db, p, dst, "absorb", {"from_org_id": src.id, **{k: v for k, v in detail.items() if k != "into_org_id"}}, now
    )
    return src


def close(db: Session, p: Principal, org_id: int, *, now: datetime) -> Org:
    _lock_tree(db)
    org = get_org_in_scope(db, p, org_id)
    _active(org)
    if org.parent_id is None:
        raise BadRequest("总行不能撤销 / the head office cannot be closed", code="invalid_close")
    blockers = {
        "children": db.scalar(
            select(func.count()).select_from(Org).where(Org.parent_id == org.id, Org.status == OrgStatus.active)
        )
        or 0,
        "users": db.scalar(select(func.count()).select_from(User).where(User.org_id == org.id)) or 0,
        "customers": db.scalar(select(func.count()).select_from(Customer).where(Customer.org_id == org.id)) or 0,
    }
    if any(blockers.values()):
        raise Conflict(
            "机构下仍有下级机构、操作员或客户，请先迁移或合并 / the org still has child orgs, "
            "operators or customers: move or merge them first",
            code="org_not_empty",
            details=blockers,
        )
    org.status = OrgStatus.closed
    org.closed_at = now
    db.flush()
    _history(db, p, org, "close", {}, now)
    return org


def history(db: Session, p: Principal, org_id: int) -> list[OrgHistory]:
    org = get_org_in_scope(db, p, org_id)
    return list(db.scalars(select(OrgHistory).where(OrgHistory.org_id == org.id).order_by(OrgHistory.id.desc())))


def import_tree(db: Session, path: Path, *, now: datetime) -> int:
    """Apply a tree file (see ``orgs.importer``) as the system; set-up and the demo use it. Returns how
    many orgs were created; a file with a rejected line changes nothing and raises."""
    from bankcrm.orgs.importer import import_orgs

    result = import_orgs(db, path.name, path.read_bytes(), actor=audit.SYSTEM_ACTOR, apply=True, now=now)
    if result.rejects:
        first = result.rejects[0]
        raise BadRequest(
            f"{path.name} 第 {first.line} 行 / line {first.line} of {path.name}: {first.reason}", code="import_rejected"
        )
    return len(result.creates)


EMPTY_TREE = (
    "机构树为空：请先导入机构（bankcrm orgs import FILE 或 系统管理 → 机构 → 导入）/ "
    "the org tree is empty: import it first (bankcrm orgs import FILE, or System → Organizations → Import)"
)


def has_usable_tree(db: Session) -> bool:
    """True when the tree has an active org below the head office: a load can place customers."""
    below_head = select(Org.id).where(Org.parent_id.is_not(None), Org.status == OrgStatus.active).limit(1)
    return db.scalar(below_head) is not None


def require_tree_for_load(factory: sessionmaker[Session]) -> None:
    """Stop a load before it reads a file when the tree is empty or only the head office: every
    customer would resolve to no org, and the load would say nothing about why."""
    from bankcrm.etl.loader import LoadFailed

    with factory() as db:
        usable = has_usable_tree(db)
    if not usable:
        raise LoadFailed(EMPTY_TREE)
