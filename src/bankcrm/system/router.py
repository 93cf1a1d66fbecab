"""HTTP routes of system parameters and code tables."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter
from sqlalchemy import select

from bankcrm.api.deps import DbSession, Now, requires
from bankcrm.auth.principal import Principal
from bankcrm.schemas import KeyPath
from bankcrm.system import service
from bankcrm.system.models import CodeTable
from bankcrm.system.schemas import (
    CodeItemCreateIn,
    CodeItemOut,
    CodeItemUpdateIn,
    CodeTableOut,
    ParameterIn,
    ParameterOut,
)

router = APIRouter(prefix="/api/system", tags=["system"])


@router.get("/parameters", operation_id="system-parameters")
def list_parameters(db: DbSession, p: Annotated[Principal, requires("param.view")]) -> list[ParameterOut]:
    return service.list_parameters(db)


@router.put("/parameters/{key}", operation_id="system-set_parameter")
def set_parameter(
    key: KeyPath, body: ParameterIn, db: DbSession, p: Annotated[Principal, requires("param.edit")], now: Now
) -> list[ParameterOut]:
    service.set_parameter(db, p, key, body.value, now=now)
    return service.list_parameters(db)


@router.get("/code-tables", operation_id="system-code_tables")
def list_code_tables(db: DbSession, p: Annotated[Principal, requires("code.view")]) -> list[CodeTableOut]:
    return [CodeTableOut.model_validate(t) for t in db.scalars(select(CodeTable).order_by(CodeTable.code))]


@router.get("/code-tables/{code}/items", operation_id="system-code_items")
def list_code_items(code: KeyPath, db: DbSession, p: Annotated[Principal, requires("code.view")]) -> list[CodeItemOut]:
    return [CodeItemOut.model_validate(i) for i in service.items(db, code)]


@router.post("/code-tables/{code}/items", operation_id="system-add_code_item", status_code=201)
def add_code_item(
    code: KeyPath, body: CodeItemCreateIn, db: DbSession, p: Annotated[Principal, requires("code.edit")], now: Now
) -> CodeItemOut:
    return CodeItemOut.model_validate(service.add_item(db, p, code, body, now=now))


@router.patch("/code-tables/{code}/items/{item_code}", operation_id="system-update_code_item")
def update_code_item(
    code: KeyPath,
    item_code: KeyPath,
    body: CodeItemUpdateIn,
    db: DbSession,
    p: Annotated[Principal, requires("code.edit")],
    now: Now,
) -> CodeItemOut:
    return CodeItemOut.model_validate(service.update_item(db, p, code, item_code, body, now=now))
