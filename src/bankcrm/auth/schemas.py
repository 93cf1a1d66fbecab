"""Request and response bodies of authentication, operators, roles and audit."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, StringConstraints

from bankcrm.auth.models import DataScope, UserStatus
from bankcrm.exports import Column, ExportIn
from bankcrm.schemas import Code, Id, In, Lax, Name, Out, SafeDate, UtcDateTime

Username = Annotated[
    str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_.-]{2,31}$", strip_whitespace=True, to_lower=True)
]
PasswordText = Annotated[str, Field(min_length=1, max_length=256)]


class LoginIn(In):
    username: Annotated[str, Field(min_length=1, max_length=64)]
    password: PasswordText


class PasswordChangeIn(In):
    old_password: PasswordText
    new_password: PasswordText


class RoleRef(Out):
    id: int
    code: str
    name: str
    name_en: str


class MeOut(Out):
    id: int
    username: str
    display_name: str
    org_id: int
    org_name: str
    roles: list[RoleRef]
    permissions: list[str]
    data_scope: DataScope
    must_change_password: bool
    csrf_token: str


class LoginOut(Out):
    user: MeOut
    csrf_token: str


class UserOut(Out):
    id: int
    username: str
    display_name: str
    org_id: int
    org_name: str
    roles: list[RoleRef]
    status: UserStatus
    must_change_password: bool
    locked_until: UtcDateTime | None
    last_login_at: UtcDateTime | None


class UserCreateIn(In):
    username: Username
    display_name: Name
    org_id: Id
    role_ids: Annotated[list[Id], Field(max_length=20)] = []


class UserUpdateIn(In):
    display_name: Name | None = None
    org_id: Id | None = None
    role_ids: Annotated[list[Id], Field(max_length=20)] | None = None


class UserWithPasswordOut(Out):
    user: UserOut
    initial_password: str


class RoleOut(Out):
    id: int
    code: str
    name: str
    name_en: str
    data_scope: DataScope
    org_id: int | None
    builtin: bool
    permissions: list[str]


class RoleCreateIn(In):
    code: Code
    name: Name
    name_en: Name
    data_scope: Annotated[DataScope, Lax]
    org_id: Id | None = None
    permissions: Annotated[list[str], Field(max_length=500)] = []


class RoleUpdateIn(In):
    name: Name | None = None
    name_en: Name | None = None
    data_scope: Annotated[DataScope, Lax] | None = None
    permissions: Annotated[list[str], Field(max_length=500)] | None = None


class PermissionOut(Out):
    code: str
    module: str
    name_zh: str
    name_en: str


class AuditOut(Out):
    id: int
    at: UtcDateTime
    actor_username: str
    action: str
    target_type: str | None
    target_id: str | None
    detail: dict[str, Any]
    ip: str | None


class AuditVerifyOut(Out):
    ok: bool
    checked: int
    first_bad_id: int | None
    reason: str | None
    anchored: int
    """Checkpoints kept outside the database that the trail was checked against."""


class UserExportIn(ExportIn):
    q: Annotated[str, Field(max_length=64)] | None = None
    org_id: Id | None = None


class AuditExportIn(ExportIn):
    action: Annotated[str, Field(max_length=64)] | None = None
    actor: Annotated[str, Field(max_length=64)] | None = None
    date_from: SafeDate | None = None
    date_to: SafeDate | None = None


USER_COLUMNS = (
    Column("username", "用户名", "User name"),
    Column("display_name", "姓名", "Name"),
    Column("org_name", "机构", "Org"),
    Column("roles", "角色", "Roles"),
    Column("status", "状态", "Status"),
    Column("must_change_password", "须修改密码", "Must change password"),
    Column("locked_until", "锁定至", "Locked until", kind="datetime"),
    Column("last_login_at", "最近登录", "Last sign-in", kind="datetime"),
)

AUDIT_COLUMNS = (
    Column("id", "序号", "No.", kind="number"),
    Column("at", "时间（北京时间）", "Time (Beijing)", kind="datetime"),
    Column("actor_username", "操作员", "Operator", labels="actor"),
    Column("action", "操作", "Action"),
    Column("target_type", "对象类型", "Target type"),
    Column("target_id", "对象", "Target"),
    Column("detail", "详情", "Detail"),
    Column("ip", "IP", "IP"),
)
