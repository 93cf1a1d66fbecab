"""HTTP routes: sign-in, sessions, password, operators, roles, permissions, audit trail."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from bankcrm.api.deps import (
    SESSION_COOKIE,
    Authenticated,
    DbSession,
    Now,
    Public,
    client_ip,
    requires,
)
from bankcrm.auth import admin, audit, sessions
from bankcrm.auth.audit import AuditFilter
from bankcrm.auth.audit import search as audit_search
from bankcrm.auth.models import Role, User, UserStatus
from bankcrm.auth.permissions import CATALOG
from bankcrm.auth.principal import Principal
from bankcrm.auth.schemas import (
    AUDIT_COLUMNS,
    USER_COLUMNS,
    AuditExportIn,
    AuditOut,
    AuditVerifyOut,
    LoginIn,
    LoginOut,
    MeOut,
    PasswordChangeIn,
    PermissionOut,
    RoleCreateIn,
    RoleOut,
    RoleRef,
    RoleUpdateIn,
    UserCreateIn,
    UserExportIn,
    UserOut,
    UserUpdateIn,
    UserWithPasswordOut,
)
from bankcrm.auth.throttle import LoginThrottle
from bankcrm.config import get_settings
from bankcrm.errors import DomainError, error_responses
from bankcrm.exports import XLSX_RESPONSE, check_size, xlsx_response
from bankcrm.orgs.models import Org
from bankcrm.schemas import DateQuery, IdPath, IdQuery, Page, PageNoQuery, PageSizeQuery, SearchText

router = APIRouter(prefix="/api", tags=["auth"])


def _me(db: DbSession, user: User, csrf: str) -> MeOut:
    org = db.get(Org, user.org_id)
    return MeOut(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        org_id=user.org_id,
        org_name=org.name if org else "",
        roles=[RoleRef.model_validate(r) for r in user.roles],
        permissions=sorted(user.codes),
        data_scope=user.data_scope,
        must_change_password=user.must_change_password,
        csrf_token=csrf,
    )


@router.post("/auth/login", operation_id="auth-login", dependencies=[Public], responses=error_responses(401, 423, 429))
async def login(body: LoginIn, request: Request, response: Response, db: DbSession, now: Now) -> LoginOut:
    throttle: LoginThrottle = request.app.state.login_throttle
    ip = client_ip(request)
    with throttle.attempt(address=ip, account_key=sessions.name_key(body.username)):  # 429 before any work
        try:
            result = await run_in_threadpool(sessions.login, db, body.username, body.password, ip=ip, now=now)
        except DomainError:
            # Failures are recorded (count, lockout, audit) even though the request fails.
            throttle.failed(address=ip)
            await run_in_threadpool(db.commit)
            raise
    response.set_cookie(
        SESSION_COOKIE,
        result.token,
        httponly=True,
        samesite="strict",
        secure=get_settings().cookie_secure,
        path="/",
    )
    me = _me(db, result.user, result.csrf_token)
    return LoginOut(user=me, csrf_token=result.csrf_token)


@router.post("/auth/logout", operation_id="auth-logout", status_code=204)
def logout(request: Request, response: Response, db: DbSession, p: Authenticated, now: Now) -> None:
    sessions.logout(db, request.cookies.get(SESSION_COOKIE, ""), ip=p.ip, now=now)
    response.delete_cookie(SESSION_COOKIE, path="/")


@router.get("/auth/me", operation_id="auth-me")
def me(request: Request, db: DbSession, p: Authenticated) -> MeOut:
    user = db.get(User, p.user_id)
    assert user is not None
    return _me(db, user, request.state.csrf_token)


@router.post("/auth/password", operation_id="auth-change_password", status_code=204)
def change_password(body: PasswordChangeIn, request: Request, db: DbSession, p: Authenticated, now: Now) -> None:
    try:
        sessions.change_password(db, p, request.state.auth_session_id, body.old_password, body.new_password, now=now)
    except DomainError:
        db.commit()  # a wrong current password counts toward lockout even though the request fails
        raise


# -- operators ---------------------------------------------------------------------------------


@router.get("/users", operation_id="users-list", tags=["users"])
def list_users(
    db: DbSession,
    p: Annotated[Principal, requires("user.view")],
    q: SearchText = None,
    org_id: IdQuery = None,
    page: PageNoQuery = 1,
    page_size: PageSizeQuery = 20,
) -> Page[UserOut]:
    rows, total = admin.list_users(db, p, q=q, org_id=org_id, page=page, page_size=page_size)
    return Page[UserOut](items=[admin.user_out(db, u) for u in rows], total=total)


@router.post("/users", operation_id="users-create", tags=["users"], status_code=201)
def create_user(
    body: UserCreateIn, db: DbSession, p: Annotated[Principal, requires("user.create")], now: Now
) -> UserWithPasswordOut:
    user, password = admin.create_user(db, p, body, now=now)
    return UserWithPasswordOut(user=admin.user_out(db, user), initial_password=password)


@router.post("/users/export", operation_id="users-export", tags=["users"], responses=XLSX_RESPONSE)
def export_users(
    body: UserExportIn, db: DbSession, p: Annotated[Principal, requires("user.view", "data.export")], now: Now
) -> Response:
    _, total = admin.list_users(db, p, q=body.q, org_id=body.org_id, page=1, page_size=1)
    check_size(db, total)
    users, _ = admin.list_users(db, p, q=body.q, org_id=body.org_id, page=1, page_size=max(total, 1))
    return xlsx_response(
        db,
        p,
        what="users",
        title="操作员" if body.lang == "zh-CN" else "Operators",
        columns=USER_COLUMNS,
        rows=[admin.user_out(db, u) for u in users],
        purpose=body.purpose,
        lang=body.lang,
        filters=body.model_dump(mode="json", exclude={"purpose", "lang"}, exclude_none=True),
        now=now,
    )


@router.get("/users/{user_id:int}", operation_id="users-get", tags=["users"])
def get_user(user_id: IdPath, db: DbSession, p: Annotated[Principal, requires("user.view")]) -> UserOut:
    return admin.user_out(db, admin.get_user_in_scope(db, p, user_id))


@router.patch("/users/{user_id:int}", operation_id="users-update", tags=["users"])
def update_user(
    user_id: IdPath, body: UserUpdateIn, db: DbSession, p: Annotated[Principal, requires("user.edit")], now: Now
) -> UserOut:
    return admin.user_out(db, admin.update_user(db, p, user_id, body, now=now))


@router.post("/users/{user_id:int}/disable", operation_id="users-disable", tags=["users"])
def disable_user(
    user_id: IdPath, db: DbSession, p: Annotated[Principal, requires("user.disable")], now: Now
) -> UserOut:
    return admin.user_out(db, admin.set_user_status(db, p, user_id, UserStatus.disabled, now=now))


@router.post("/users/{user_id:int}/enable", operation_id="users-enable", tags=["users"])
def enable_user(user_id: IdPath, db: DbSession, p: Annotated[Principal, requires("user.disable")], now: Now) -> UserOut:
    return admin.user_out(db, admin.set_user_status(db, p, user_id, UserStatus.active, now=now))


@router.post("/users/{user_id:int}/unlock", operation_id="users-unlock", tags=["users"])
def unlock_user(user_id: IdPath, db: DbSession, p: Annotated[Principal, requires("user.unlock")], now: Now) -> UserOut:
    return admin.user_out(db, admin.unlock_user(db, p, user_id, now=now))


@router.post("/users/{user_id:int}/reset-password", operation_id="users-reset_password", tags=["users"])
def reset_password(
    user_id: IdPath, db: DbSession, p: Annotated[Principal, requires("user.reset_password")], now: Now
) -> UserWithPasswordOut:
    user, password = admin.reset_password(db, p, user_id, now=now)
    return UserWithPasswordOut(user=admin.user_out(db, user), initial_password=password)


# -- roles and permissions ---------------------------------------------------------------------


def _role_out(role: Role) -> RoleOut:
    return RoleOut(
        id=role.id,
        code=role.code,
        name=role.name,
        name_en=role.name_en,
        data_scope=role.data_scope,
        org_id=role.org_id,
        builtin=role.builtin,
        permissions=sorted(role.codes),
    )


@router.get("/roles", operation_id="roles-list", tags=["roles"])
def list_roles(db: DbSession, p: Annotated[Principal, requires("role.view")]) -> list[RoleOut]:
    return [_role_out(r) for r in admin.list_roles(db, p)]


@router.post("/roles", operation_id="roles-create", tags=["roles"], status_code=201)
def create_role(
    body: RoleCreateIn, db: DbSession, p: Annotated[Principal, requires("role.create")], now: Now
) -> RoleOut:
    return _role_out(admin.create_role(db, p, body, now=now))


@router.patch("/roles/{role_id:int}", operation_id="roles-update", tags=["roles"])
def update_role(
    role_id: IdPath, body: RoleUpdateIn, db: DbSession, p: Annotated[Principal, requires("role.edit")], now: Now
) -> RoleOut:
    return _role_out(admin.update_role(db, p, role_id, body, now=now))


@router.delete("/roles/{role_id:int}", operation_id="roles-delete", tags=["roles"], status_code=204)
def delete_role(role_id: IdPath, db: DbSession, p: Annotated[Principal, requires("role.delete")], now: Now) -> None:
    admin.delete_role(db, p, role_id, now=now)


@router.get("/permissions", operation_id="roles-permissions", tags=["roles"])
def list_permissions(p: Annotated[Principal, requires("role.view")]) -> list[PermissionOut]:
    return [PermissionOut(code=c.code, module=c.module, name_zh=c.name_zh, name_en=c.name_en) for c in CATALOG]


# -- audit trail -------------------------------------------------------------------------------


@router.get("/audit", operation_id="audit-list", tags=["audit"])
def list_audit(
    db: DbSession,
    p: Annotated[Principal, requires("audit.view")],
    action: SearchText = None,
    actor: SearchText = None,
    date_from: DateQuery = None,
    date_to: DateQuery = None,
    page: PageNoQuery = 1,
    page_size: PageSizeQuery = 50,
) -> Page[AuditOut]:
    f = AuditFilter(action=action, actor=actor, date_from=date_from, date_to=date_to)
    rows, total = audit_search(db, p, f, page=page, page_size=page_size)
    return Page[AuditOut](items=[AuditOut.model_validate(r) for r in rows], total=total)


@router.post("/audit/export", operation_id="audit-export", tags=["audit"], responses=XLSX_RESPONSE)
def export_audit(
    body: AuditExportIn, db: DbSession, p: Annotated[Principal, requires("audit.view", "data.export")], now: Now
) -> Response:
    f = AuditFilter(action=body.action, actor=body.actor, date_from=body.date_from, date_to=body.date_to)
    _, total = audit_search(db, p, f, page=1, page_size=1)
    check_size(db, total)
    rows, _ = audit_search(db, p, f, page=1, page_size=max(total, 1))
    return xlsx_response(
        db,
        p,
        what="audit",
        title="审计日志" if body.lang == "zh-CN" else "Audit trail",
        columns=AUDIT_COLUMNS,
        rows=[AuditOut.model_validate(r) for r in rows],
        purpose=body.purpose,
        lang=body.lang,
        filters=f.model_dump(mode="json", exclude_none=True),
        now=now,
    )


@router.get("/audit/verify", operation_id="audit-verify", tags=["audit"])
def verify_audit(db: DbSession, p: Annotated[Principal, requires("audit.verify")]) -> AuditVerifyOut:
    r = audit.verify(db, anchor=audit.anchor_path())
    return AuditVerifyOut(ok=r.ok, checked=r.checked, first_bad_id=r.first_bad_id, reason=r.reason, anchored=r.anchored)
