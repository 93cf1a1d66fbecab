"""Administration of operators and roles (SEC-1, SEC-4), bounded by the caller's org subtree.

Two rules hold everywhere here: an administrator acts only on users, roles and orgs inside
their own subtree (or everywhere with scope ``all``), and never grants a permission code or a
data scope wider than their own.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from bankcrm.auth import audit
from bankcrm.auth.models import DataScope, LoginFailure, Role, RolePermission, User, UserStatus, user_role
from bankcrm.auth.passwords import generate_initial_password
from bankcrm.auth.permissions import CODES
from bankcrm.auth.principal import Principal
from bankcrm.auth.schemas import RoleCreateIn, RoleRef, RoleUpdateIn, UserCreateIn, UserOut, UserUpdateIn
from bankcrm.auth.scope import get_org_in_scope, org_subtree_clause, org_within
from bankcrm.auth.sessions import name_key, revoke_user_sessions, set_password
from bankcrm.db import contains_pattern
from bankcrm.errors import BadRequest, Conflict, Forbidden, NotFound
from bankcrm.orgs.models import Org, OrgStatus


def user_out(db: Session, user: User) -> UserOut:
    org = db.get(Org, user.org_id)
    fail = db.get(LoginFailure, name_key(user.username))
    return UserOut(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        org_id=user.org_id,
        org_name=org.name if org else "",
        roles=[RoleRef.model_validate(r) for r in user.roles],
        status=user.status,
        must_change_password=user.must_change_password,
        locked_until=fail.locked_until if fail else None,
        last_login_at=user.last_login_at,
    )


# -- users -------------------------------------------------------------------------------------


def list_users(
    db: Session, p: Principal, *, q: str | None, org_id: int | None, page: int, page_size: int
) -> tuple[list[User], int]:
    stmt = select(User).join(Org, Org.id == User.org_id).where(org_subtree_clause(p))
    if org_id is not None:
        stmt = stmt.where(User.org_id == org_id)
    if q:
        like = contains_pattern(q)
        stmt = stmt.where(or_(User.username.like(like, escape="\\"), User.display_name.like(like, escape="\\")))
    total = db.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = db.scalars(stmt.order_by(User.id).offset((page - 1) * page_size).limit(page_size)).all()
    return list(rows), total


def get_user_in_scope(db: Session, p: Principal, user_id: int) -> User:
    user = db.get(User, user_id)
    if user is None or not org_within(p, db.get(Org, user.org_id)):
        raise NotFound("操作员不存在 / operator not found")
    return user


def get_manageable_user(db: Session, p: Principal, user_id: int) -> User:
    """A user the caller may change: in scope, and holding nothing the caller could not grant.
    Peers (the same rights) are managed by the level above, so that one branch administrator
    cannot take over another's account; only an all-scope administrator manages its peers."""
    user = get_user_in_scope(db, p, user_id)
    if user.id == p.user_id:
        return user
    if not all(_assignable(db, p, r) for r in user.roles):
        raise Forbidden(
            "该操作员的权限超出本人，须由上级管理员处理 / this operator holds rights beyond yours",
            code="target_exceeds_own",
        )
    if user.codes == p.codes and p.data_scope != DataScope.all:
        raise Forbidden(
            "同级管理员须由上级管理员维护 / a peer administrator is managed by the level above",
            code="target_is_peer",
        )
    return user


def _active_org_in_scope(db: Session, p: Principal, org_id: int) -> Org:
    org = get_org_in_scope(db, p, org_id)
    if org.status != OrgStatus.active:
        raise BadRequest("机构已撤销 / the org is closed", code="org_closed")
    return org


def _covers(p: Principal, codes: set[str], scope: DataScope) -> bool:
    """The caller holds every code with at least ``scope``: granting it widens nobody past them."""
    for code in codes:
        own = p.scope_of(code)
        if own is None or own.rank < scope.rank:
            return False
    return True


def _assignable(db: Session, p: Principal, role: Role) -> bool:
    if not _covers(p, role.codes, role.data_scope):
        return False
    return role.org_id is None or org_within(p, db.get(Org, role.org_id))


def _role_fits_org(db: Session, role: Role, org_id: int) -> bool:
    """A branch's own role can only be held inside that branch (its org or below)."""
    if role.org_id is None:
        return True
    owner, target = db.get(Org, role.org_id), db.get(Org, org_id)
    return owner is not None and target is not None and target.path.startswith(owner.path)


def _check_roles_fit(db: Session, roles: list[Role], org_id: int) -> None:
    misfits = [r.code for r in roles if not _role_fits_org(db, r, org_id)]
    if misfits:
        raise BadRequest(
            "分支机构自建角色只能授予本机构及下级的操作员 / a branch's own role is for operators of that branch",
            code="role_outside_owner",
            details={"roles": misfits},
        )


def _roles_for_grant(db: Session, p: Principal, role_ids: list[int]) -> list[Role]:
    roles: list[Role] = []
    for rid in dict.fromkeys(role_ids):
        role = db.get(Role, rid)
        if role is None or (role.org_id is not None and not org_within(p, db.get(Org, role.org_id))):
            raise NotFound("角色不存在 / role not found", details={"role_id": rid})
        if not _assignable(db, p, role):
            raise Forbidden(
                "不能授予超出本人权限的角色 / you cannot grant a role wider than your own rights",
                code="grant_exceeds_own",
                details={"role": role.code},
            )
        roles.append(role)
    return roles


def create_user(db: Session, p: Principal, data: UserCreateIn, *, now: datetime) -> tuple[User, str]:
    _active_org_in_scope(db, p, data.org_id)
    roles = _roles_for_grant(db, p, data.role_ids)
    _check_roles_fit(db, roles, data.org_id)
    if db.scalar(select(User.id).where(User.username == data.username)) is not None:
        raise Conflict("用户名已存在 / user name already taken", code="username_taken")
    password = generate_initial_password()
    user = User(
        username=data.username,
        display_name=data.display_name,
        org_id=data.org_id,
        password_hash="",
        status=UserStatus.active,
        must_change_password=True,
        created_at=now,
        roles=roles,
    )
    db.add(user)
    db.flush()
    set_password(db, user, password, now=now, must_change=True)
    audit.append(
        db,
        p.actor,
        "user.create",
        at=now,
        target_type="user",
        target_id=user.id,
        detail={"username": user.username, "org_id": user.org_id, "roles": [r.code for r in roles]},
    )
    return user, password


def update_user(db: Session, p: Principal, user_id: int, data: UserUpdateIn, *, now: datetime) -> User:
    user = get_manageable_user(db, p, user_id)
    before = {"display_name": user.display_name, "org_id": user.org_id, "roles": [r.code for r in user.roles]}
    if data.display_name is not None:
        user.display_name = data.display_name
    if data.org_id is not None and data.org_id != user.org_id:
        _active_org_in_scope(db, p, data.org_id)
        user.org_id = data.org_id
    if data.role_ids is not None:
        new_roles = _roles_for_grant(db, p, data.role_ids)
        removed = [r for r in user.roles if r.id not in {n.id for n in new_roles}]
        for r in removed:
            if not _assignable(db, p, r):
                raise Forbidden(
                    "不能撤销超出本人权限的角色 / you cannot withdraw a role wider than your own",
                    code="grant_exceeds_own",
                    details={"role": r.code},
                )
        if user.id == p.user_id and {r.id for r in new_roles} != {r.id for r in user.roles}:
            raise Forbidden("不能修改自己的角色 / you cannot change your own roles", code="self_grant")
        user.roles = new_roles
    _check_roles_fit(db, list(user.roles), user.org_id)
    db.flush()
    after = {"display_name": user.display_name, "org_id": user.org_id, "roles": [r.code for r in user.roles]}
    audit.append(
        db,
        p.actor,
        "user.update",
        at=now,
        target_type="user",
        target_id=user.id,
        detail={"before": before, "after": after},
    )
    return user


def set_user_status(db: Session, p: Principal, user_id: int, status: UserStatus, *, now: datetime) -> User:
    user = get_manageable_user(db, p, user_id)
    if user.id == p.user_id:
        raise Forbidden("不能停用自己 / you cannot disable yourself", code="self_disable")
    user.status = status
    if status == UserStatus.disabled:
        revoke_user_sessions(db, user.id, now=now)
    db.flush()
    audit.append(
        db,
        p.actor,
        f"user.{'disable' if status == UserStatus.disabled else 'enable'}",
        at=now,
        target_type="user",
        target_id=user.id,
    )
    return user


def reset_password(db: Session, p: Principal, user_id: int, *, now: datetime) -> tuple[User, str]:
    user = get_manageable_user(db, p, user_id)
    password = generate_initial_password()
    set_password(db, user, password, now=now, must_change=True)
    revoke_user_sessions(db, user.id, now=now)
    audit.append(db, p.actor, "user.reset_password", at=now, target_type="user", target_id=user.id)
    return user, password


def unlock_user(db: Session, p: Principal, user_id: int, *, now: datetime) -> User:
    user = get_manageable_user(db, p, user_id)
    fail = db.get(LoginFailure, name_key(user.username))
    if fail is not None:
        db.delete(fail)
    db.flush()
    audit.append(db, p.actor, "user.unlock", at=now, target_type="user", target_id=user.id)
    return user


# -- roles -------------------------------------------------------------------------------------


def list_roles(db: Session, p: Principal) -> list[Role]:
    stmt = select(Role).outerjoin(Org, Org.id == Role.org_id).where(or_(Role.org_id.is_(None), org_subtree_clause(p)))
    return list(db.scalars(stmt.order_by(Role.id)).unique().all())


def _role_in_scope(db: Session, p: Principal, role_id: int) -> Role:
    role = db.get(Role, role_id)
    if role is None or (role.org_id is not None and not org_within(p, db.get(Org, role.org_id))):
        raise NotFound("角色不存在 / role not found")
    return role


def _check_no_foreign_holders(db: Session, p: Principal, role: Role) -> None:
    """A role held by operators outside the caller's subtree is not the caller's to change."""
    holders = db.scalars(
        select(User).join(user_role, user_role.c.user_id == User.id).where(user_role.c.role_id == role.id)
    )
    if any(not org_within(p, db.get(Org, u.org_id)) for u in holders):
        raise Forbidden(
            "该角色有本机构辖外的操作员在用，须由上级管理员修改 / operators outside your branch hold this role",
            code="role_held_outside",
        )


def _check_grantable(p: Principal, codes: list[str], scope: DataScope) -> set[str]:
    wanted = set(codes)
    unknown = wanted - CODES
    if unknown:
        raise BadRequest(
            "未知的权限代码 / unknown permission codes", code="unknown_permission", details=sorted(unknown)
        )
    beyond = wanted - p.codes
    if beyond:
        raise Forbidden(
            "不能授予本人没有的权限 / you cannot grant permissions you do not hold",
            code="grant_exceeds_own",
            details=sorted(beyond),
        )
    if not _covers(p, wanted, scope) or scope.rank > p.data_scope.rank:
        raise Forbidden("数据范围不能超出本人 / data scope wider than your own", code="grant_exceeds_own")
    return wanted


def create_role(db: Session, p: Principal, data: RoleCreateIn, *, now: datetime) -> Role:
    org_id = data.org_id if data.org_id is not None else p.org_id
    get_org_in_scope(db, p, org_id)
    codes = _check_grantable(p, data.permissions, data.data_scope)
    if db.scalar(select(Role.id).where(Role.code == data.code)) is not None:
        raise Conflict("角色代码已存在 / role code already taken", code="role_code_taken")
    role = Role(
        code=data.code,
        name=data.name,
        name_en=data.name_en,
        data_scope=data.data_scope,
        org_id=org_id,
        builtin=False,
        permissions=[RolePermission(code=c) for c in sorted(codes)],
    )
    db.add(role)
    db.flush()
    audit.append(
        db,
        p.actor,
        "role.create",
        at=now,
        target_type="role",
        target_id=role.id,
        detail={"code": role.code, "data_scope": role.data_scope.value, "permissions": sorted(codes)},
    )
    return role


def update_role(db: Session, p: Principal, role_id: int, data: RoleUpdateIn, *, now: datetime) -> Role:
    role = _role_in_scope(db, p, role_id)
    if role.builtin:
        raise Forbidden("内置角色不可修改 / built-in roles cannot be changed", code="builtin_role")
    if role.org_id is None:
        raise Forbidden("全行角色只能由总行维护 / bank-wide roles are kept by head office", code="builtin_role")
    _check_no_foreign_holders(db, p, role)
    before = {"name": role.name, "data_scope": role.data_scope.value, "permissions": sorted(role.codes)}
    scope = data.data_scope or role.data_scope
    codes = _check_grantable(p, data.permissions if data.permissions is not None else sorted(role.codes), scope)
    if data.name is not None:
        role.name = data.name
    if data.name_en is not None:
        role.name_en = data.name_en
    role.data_scope = scope
    if data.permissions is not None:
        role.permissions = [RolePermission(code=c) for c in sorted(codes)]
    db.flush()
    after = {"name": role.name, "data_scope": role.data_scope.value, "permissions": sorted(role.codes)}
    audit.append(
        db,
        p.actor,
        "role.update",
        at=now,
        target_type="role",
        target_id=role.id,
        detail={"before": before, "after": after},
    )
    return role


def delete_role(db: Session, p: Principal, role_id: int, *, now: datetime) -> None:
    role = _role_in_scope(db, p, role_id)
    if role.builtin or role.org_id is None:
        raise Forbidden("内置角色不可删除 / built-in roles cannot be deleted", code="builtin_role")
    _check_grantable(p, sorted(role.codes), role.data_scope)
    in_use = db.scalar(select(func.count()).select_from(user_role).where(user_role.c.role_id == role.id))
    if in_use:
        raise Conflict("角色仍有操作员使用 / the role is still assigned", code="role_in_use", details={"users": in_use})
    code = role.code
    db.delete(role)
    db.flush()
    audit.append(db, p.actor, "role.delete", at=now, target_type="role", target_id=role_id, detail={"code": code})
