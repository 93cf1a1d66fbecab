"""The catalog of permission codes (function-button granularity) and the built-in roles.

Every route names one of these codes in its ``Requires(...)`` dependency; the route sweep
test fails on a route without one and on a code that is not in this catalog.
"""

from __future__ import annotations

from dataclasses import dataclass

from bankcrm.auth.models import DataScope


@dataclass(frozen=True)
class Permission:
    code: str
    module: str
    name_zh: str
    name_en: str


CATALOG: tuple[Permission, ...] = (
    Permission("customer.view", "customer", "查看客户", "View customers"),
    Permission("customer.unmask", "customer", "全部明文显示敏感信息", "See sensitive fields unmasked"),
    Permission("customer.amount.view", "customer", "查看客户金额（余额、资产）", "See customer amounts"),
    Permission("customer.reveal", "customer", "查看明文（逐项，需说明用途）", "Reveal one field (with purpose)"),
    Permission("customer.edit", "customer", "维护客户基本信息", "Maintain customer basic information"),
    Permission("customer.record", "customer", "登记评价、推介、接触记录", "Record evaluations, referrals, contacts"),
    Permission("customer.assign", "customer", "设置客户经理、移交客户", "Assign customer managers, transfer books"),
    Permission(
        "customer.link", "customer", "建立客户、挂接与解挂账户", "Create customers by linking accounts, (un)assign"
    ),
    Permission("data.export", "customer", "导出数据到 Excel", "Export data to Excel"),
    Permission("etl.view", "etl", "查看数据加载任务", "View load runs"),
    Permission("etl.rejects", "etl", "查看拒绝记录", "View rejected rows"),
    Permission("etl.run", "etl", "发起数据加载", "Start a load"),
    Permission("dq.view", "etl", "查看数据质量问题", "View data-quality issues"),
    Permission("dq.edit", "etl", "处理数据质量问题、维护机构映射", "Repair data quality, map org codes"),
    Permission("org.view", "system", "查看机构", "View orgs"),
    Permission("org.create", "system", "新建机构", "Create org"),
    Permission("org.edit", "system", "机构更名", "Rename org"),
    Permission("org.move", "system", "机构迁移", "Move org"),
    Permission("org.merge", "system", "机构合并", "Merge orgs"),
    Permission("org.close", "system", "机构撤销", "Close org"),
    Permission("user.view", "system", "查看操作员", "View operators"),
    Permission("user.create", "system", "新增操作员", "Create operator"),
    Permission("user.edit", "system", "修改操作员", "Edit operator"),
    Permission("user.disable", "system", "停用/启用操作员", "Disable/enable operator"),
    Permission("user.reset_password", "system", "重置密码", "Reset password"),
    Permission("user.unlock", "system", "解锁操作员", "Unlock operator"),
    Permission("role.view", "system", "查看角色", "View roles"),
    Permission("role.create", "system", "新增角色", "Create role"),
    Permission("role.edit", "system", "修改角色", "Edit role"),
    Permission("role.delete", "system", "删除角色", "Delete role"),
    Permission("audit.view", "system", "查看审计日志", "View audit trail"),
    Permission("audit.verify", "system", "校验审计链", "Verify audit chain"),
    Permission("param.view", "system", "查看系统参数", "View parameters"),
    Permission("param.edit", "system", "修改系统参数", "Edit parameters"),
    Permission("code.view", "system", "查看代码表", "View code tables"),
    Permission("code.edit", "system", "维护代码表", "Edit code tables"),
)

CODES: frozenset[str] = frozenset(p.code for p in CATALOG)

# Rights checked somewhere other than a route's access rule, and where.
NON_ROUTE_CODES: dict[str, str] = {
    "customer.unmask": "auth.masking: responses carry sensitive fields in clear",
    "customer.amount.view": "auth.masking: a customer's amounts are numbers, not bands (decision 0017)",
}

# Codes every signed-in user has without a role saying so (their own session and password).
SELF_SERVICE = "self"


@dataclass(frozen=True)
class BuiltinRole:
    code: str
    name: str
    name_en: str
    data_scope: DataScope
    codes: frozenset[str]


def _codes(*prefixes: str, exclude: tuple[str, ...] = ()) -> frozenset[str]:
    return frozenset(c for c in CODES if any(c == p or c.startswith(p + ".") for p in prefixes) and c not in exclude)


_VIEW_BASICS = frozenset({"org.view", "code.view"})

BUILTIN_ROLES: tuple[BuiltinRole, ...] = (
    BuiltinRole("sysadmin", "系统管理员", "System administrator", DataScope.all, CODES),
    BuiltinRole(
        "branch_admin",
        "分行系统管理员",
        "Branch administrator",
        DataScope.subtree,
        _codes(
            "user",
            "role",
            "org.view",
            "code.view",
            "param.view",
            "audit.view",
            "customer.view",
            "customer.amount.view",
            "customer.reveal",
            "customer.edit",
            "customer.record",
            "customer.assign",
            "customer.link",
            "data.export",
        ),
    ),
    BuiltinRole(
        "president",
        "行长",
        "Branch president",
        DataScope.subtree,
        _VIEW_BASICS
        | {"customer.view", "customer.amount.view", "customer.reveal", "customer.assign", "user.view", "data.export"},
    ),
    BuiltinRole(
        "business_dept",
        "业务部门",
        "Business department",
        DataScope.subtree,
        _VIEW_BASICS
        | {
            "customer.view",
            "customer.amount.view",
            "customer.reveal",
            "customer.edit",
            "customer.record",
            "customer.assign",
            "customer.link",
            "data.export",
        },
    ),
    BuiltinRole(
        "customer_manager",
        "客户经理",
        "Customer manager",
        DataScope.own,
        _VIEW_BASICS
        | {
            "customer.view",
            "customer.amount.view",
            "customer.reveal",
            "customer.edit",
            "customer.record",
            "customer.link",
            "data.export",
        },
    ),
    BuiltinRole(
        "lobby_manager", "大堂经理", "Lobby manager", DataScope.org, _VIEW_BASICS | {"customer.view", "customer.record"}
    ),
    BuiltinRole("analyst", "分析员", "Analyst", DataScope.subtree, _VIEW_BASICS | {"customer.view", "data.export"}),
    BuiltinRole(
        "data_admin",
        "数据管理员",
        "Data administrator",
        DataScope.all,
        _VIEW_BASICS | {"etl.view", "etl.rejects", "etl.run", "dq.view", "dq.edit"},
    ),
    BuiltinRole(
        "auditor",
        "审计员",
        "Auditor",
        DataScope.all,
        _VIEW_BASICS | {"audit.view", "audit.verify", "user.view", "role.view", "param.view", "data.export"},
    ),
)
