"""Parameter changes and code-table maintenance, each audited."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bankcrm.auth import audit
from bankcrm.auth.principal import Principal
from bankcrm.errors import Conflict, NotFound
from bankcrm.system import params
from bankcrm.system.models import CodeItem, CodeTable, ParameterValue
from bankcrm.system.schemas import CodeItemCreateIn, CodeItemUpdateIn, ParameterOut


def list_parameters(db: Session) -> list[ParameterOut]:
    stored = {row.key: row for row in db.scalars(select(ParameterValue))}
    out = []
    for d in params.DEFINITIONS:
        row = stored.get(d.key)
        out.append(
            ParameterOut(
                key=d.key,
                type=d.type,
                value=row.value if row else d.default,
                default=d.default,
                min=d.min,
                max=d.max,
                choices=list(d.choices),
                description_zh=d.description_zh,
                description_en=d.description_en,
                updated_by=row.updated_by if row else None,
                updated_at=row.updated_at if row else None,
            )
        )
    return out


def set_parameter(db: Session, p: Principal, key: str, value: object, *, now: datetime) -> None:
    d = params.definition(key)
    clean = params.validate(d, value)
    row = db.get(ParameterValue, key)
    old = row.value if row else d.default
    if row is None:
        db.add(ParameterValue(key=key, value=clean, updated_by=p.username, updated_at=now))
    else:
        row.value = clean
        row.updated_by = p.username
        row.updated_at = now
    db.flush()
    audit.append(
        db, p.actor, "param.change", at=now, target_type="parameter", target_id=key, detail={"from": old, "to": clean}
    )


def get_table(db: Session, code: str) -> CodeTable:
    table = db.get(CodeTable, code)
    if table is None:
        raise NotFound("代码表不存在 / code table not found")
    return table


def items(db: Session, code: str) -> list[CodeItem]:
    get_table(db, code)
    return list(db.scalars(select(CodeItem).where(CodeItem.table_code == code).order_by(CodeItem.sort, CodeItem.code)))


def add_item(db: Session, p: Principal, code: str, data: CodeItemCreateIn, *, now: datetime) -> CodeItem:
    get_table(db, code)
    if db.get(CodeItem, (code, data.code)) is not None:
        raise Conflict("代码已存在 / the code exists already", code="code_taken")
    item = CodeItem(
        table_code=code, code=data.code, label_zh=data.label_zh, label_en=data.label_en, sort=data.sort, active=True
    )
    db.add(item)
    db.flush()
    audit.append(
        db,
        p.actor,
        "code.create",
        at=now,
        target_type="code_item",
        target_id=f"{code}:{data.code}",
        detail=data.model_dump(),
    )
    return item


def update_item(
    db: Session, p: Principal, code: str, item_code: str, data: CodeItemUpdateIn, *, now: datetime
) -> CodeItem:
    item = db.get(CodeItem, (code, item_code))
    if item is None:
        raise NotFound("代码不存在 / code not found")
    before = {"label_zh": item.label_zh, "label_en": item.label_en, "sort": item.sort, "active": item.active}
    for field, value in data.model_dump(exclude_none=True).items():
        setattr(item, field, value)
    db.flush()
    after = {"label_zh": item.label_zh, "label_en": item.label_en, "sort": item.sort, "active": item.active}
    audit.append(
        db,
        p.actor,
        "code.update",
        at=now,
        target_type="code_item",
        target_id=f"{code}:{item_code}",
        detail={"before": before, "after": after},
    )
    return item


def code_exists(db: Session, table: str, code: str) -> bool:
    """True when ``code`` is an active item of the code table (used to validate entered values)."""
    item = db.get(CodeItem, (table, code))
    return item is not None and item.active
