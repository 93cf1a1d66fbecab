"""Typed system parameters: definitions with defaults and bounds, validation, reading.

Definitions live in code (so a parameter always has a type and a default); the database keeps
only values that staff changed. Reading a parameter never fails: a missing row is the default.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from bankcrm.errors import BadRequest, NotFound
from bankcrm.system.models import ParameterValue

ParamType = Literal["int", "bool", "str", "enum", "decimal"]


@dataclass(frozen=True)
class ParamDef:
    key: str
    type: ParamType
    default: Any
    description_zh: str
    description_en: str
    min: float | None = None
    max: float | None = None
    choices: tuple[str, ...] = ()
    max_length: int = 200


DEFINITIONS: tuple[ParamDef, ...] = (
    ParamDef(
        "session.idle_timeout_minutes",
        "int",
        30,
        "会话空闲超时（分钟）",
        "Session idle timeout (minutes)",
        min=1,
        max=240,
    ),
    ParamDef(
        "session.absolute_timeout_hours",
        "int",
        12,
        "会话最长时长（小时）",
        "Session absolute timeout (hours)",
        min=1,
        max=24,
    ),
    ParamDef(
        "login.max_failures", "int", 5, "连续登录失败锁定次数", "Consecutive failures before lockout", min=3, max=10
    ),
    ParamDef("login.lockout_minutes", "int", 30, "锁定时长（分钟）", "Lockout duration (minutes)", min=5, max=1440),
    ParamDef("password.min_length", "int", 8, "密码最短长度", "Minimum password length", min=8, max=64),
    ParamDef(
        "password.history_count", "int", 5, "不得与最近几次密码相同", "Passwords remembered (no reuse)", min=1, max=24
    ),
    ParamDef("export.max_rows", "int", 50000, "单次导出最大行数", "Maximum rows per export", min=100, max=1000000),
    ParamDef("ui.default_language", "enum", "zh-CN", "默认界面语言", "Default UI language", choices=("zh-CN", "en-US")),
    ParamDef("bank.name", "str", "示范商业银行", "银行名称", "Bank name", max_length=100),
    ParamDef("audit.view_customer_detail", "bool", True, "记录客户明细查看", "Audit views of customer detail"),
    ParamDef(
        "tier.basis",
        "enum",
        "aum_mtd_avg",
        "VIP 等级依据的日均资产（月/季/年）",
        "Average assets the VIP tiers compare (month, quarter or year to date)",
        choices=("aum_mtd_avg", "aum_qtd_avg", "aum_ytd_avg"),
    ),
    ParamDef(
        "tier.hq_vip_min",
        "decimal",
        "5000000",
        "总行级 VIP 日均资产下限（元）",
        "Head-office VIP: minimum average assets (CNY)",
        min=0,
        max=1e12,
    ),
    ParamDef(
        "tier.province_vip_min",
        "decimal",
        "1000000",
        "省行级 VIP 日均资产下限（元）",
        "Province VIP: minimum average assets (CNY)",
        min=0,
        max=1e12,
    ),
    ParamDef(
        "tier.branch_vip_min",
        "decimal",
        "200000",
        "支行级 VIP 日均资产下限（元）",
        "Branch VIP: minimum average assets (CNY)",
        min=0,
        max=1e12,
    ),
    ParamDef(
        "customer.recent_txn_days",
        "int",
        90,
        "客户视图显示最近几天的交易",
        "Days of recent transactions on the customer view",
        min=1,
        max=366,
    ),
)

BY_KEY = {d.key: d for d in DEFINITIONS}


def definition(key: str) -> ParamDef:
    try:
        return BY_KEY[key]
    except KeyError:
        raise NotFound("未知的系统参数 / unknown parameter", code="unknown_parameter") from None


def validate(d: ParamDef, value: object) -> object:
    """Return the value in its canonical type, or raise BadRequest saying why."""
    if d.type == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise BadRequest(f"{d.key} 须为整数 / must be an integer", code="invalid_parameter")
        _check_bounds(d, value)
        return value
    if d.type == "decimal":
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise BadRequest(f"{d.key} 须为数值 / must be a number", code="invalid_parameter")
        try:
            dec = Decimal(str(value))
        except InvalidOperation:
            raise BadRequest(f"{d.key} 须为数值 / must be a number", code="invalid_parameter") from None
        if not dec.is_finite():
            raise BadRequest(f"{d.key} 须为有限数值 / must be finite", code="invalid_parameter")
        _check_bounds(d, float(dec))
        return str(dec)
    if d.type == "bool":
        if not isinstance(value, bool):
            raise BadRequest(f"{d.key} 须为布尔值 / must be true or false", code="invalid_parameter")
        return value
    if d.type == "enum":
        if value not in d.choices:
            raise BadRequest(
                f"{d.key} 须为 {', '.join(d.choices)} 之一 / must be one of {', '.join(d.choices)}",
                code="invalid_parameter",
            )
        return value
    if not isinstance(value, str) or not value.strip():
        raise BadRequest(f"{d.key} 须为非空文本 / must be non-empty text", code="invalid_parameter")
    if len(value) > d.max_length:
        raise BadRequest(f"{d.key} 最长 {d.max_length} 字 / too long", code="invalid_parameter")
    return value.strip()


def _check_bounds(d: ParamDef, value: float) -> None:
    if d.min is not None and value < d.min:
        raise BadRequest(f"{d.key} 不能小于 {d.min:g} / must be at least {d.min:g}", code="invalid_parameter")
    if d.max is not None and value > d.max:
        raise BadRequest(f"{d.key} 不能大于 {d.max:g} / must be at most {d.max:g}", code="invalid_parameter")


def get_param(db: Session, key: str) -> Any:
    d = definition(key)
    row = db.get(ParameterValue, key)
    return d.default if row is None else row.value


_STORED = select(ParameterValue.key, ParameterValue.value).where(
    ParameterValue.key.in_(bindparam("keys", expanding=True))
)


def get_params(db: Session, *keys: str) -> dict[str, Any]:
    """Several parameters in one query (per-request paths)."""
    defs = {k: definition(k) for k in keys}
    stored = dict(db.execute(_STORED, {"keys": list(keys)}).all())
    return {k: stored.get(k, d.default) for k, d in defs.items()}


def get_int(db: Session, key: str) -> int:
    return int(get_param(db, key))
