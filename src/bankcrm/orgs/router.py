"""HTTP routes of the org tree."""

from __future__ import annotations

import base64
from typing import Annotated

from fastapi import APIRouter
from sqlalchemy import select

from bankcrm.api.deps import DbSession, Now, requires
from bankcrm.auth.principal import Principal
from bankcrm.auth.scope import get_org_in_scope, org_within
from bankcrm.errors import BadRequest, Forbidden
from bankcrm.orgs import importer, service
from bankcrm.orgs.models import Org
from bankcrm.orgs.schemas import (
    MAX_IMPORT_BYTES,
    OrgCreateIn,
    OrgHistoryOut,
    OrgImportIn,
    OrgImportOut,
    OrgMergeIn,
    OrgMoveIn,
    OrgNode,
    OrgOut,
    OrgRenameIn,
)
from bankcrm.schemas import IdPath

router = APIRouter(prefix="/api/orgs", tags=["orgs"])


@router.get("/tree", operation_id="orgs-tree")
def org_tree(db: DbSession, p: Annotated[Principal, requires("org.view")]) -> list[OrgNode]:
    return service.tree(db, p)


@router.get("/{org_id:int}", operation_id="orgs-get")
def get_org(org_id: IdPath, db: DbSession, p: Annotated[Principal, requires("org.view")]) -> OrgOut:
    return OrgOut.model_validate(get_org_in_scope(db, p, org_id))


@router.post("", operation_id="orgs-create", status_code=201)
def create_org(body: OrgCreateIn, db: DbSession, p: Annotated[Principal, requires("org.create")], now: Now) -> OrgOut:
    return OrgOut.model_validate(service.create(db, p, body, now=now))


@router.patch("/{org_id:int}", operation_id="orgs-rename")
def rename_org(
    org_id: IdPath, body: OrgRenameIn, db: DbSession, p: Annotated[Principal, requires("org.edit")], now: Now
) -> OrgOut:
    return OrgOut.model_validate(service.rename(db, p, org_id, body.name, now=now))


@router.post("/{org_id:int}/move", operation_id="orgs-move")
def move_org(
    org_id: IdPath, body: OrgMoveIn, db: DbSession, p: Annotated[Principal, requires("org.move")], now: Now
) -> OrgOut:
    return OrgOut.model_validate(service.move(db, p, org_id, body.new_parent_id, now=now))


@router.post("/{org_id:int}/merge", operation_id="orgs-merge")
def merge_org(
    org_id: IdPath, body: OrgMergeIn, db: DbSession, p: Annotated[Principal, requires("org.merge")], now: Now
) -> OrgOut:
    return OrgOut.model_validate(service.merge(db, p, org_id, body.into_org_id, now=now))


@router.post("/{org_id:int}/close", operation_id="orgs-close")
def close_org(org_id: IdPath, db: DbSession, p: Annotated[Principal, requires("org.close")], now: Now) -> OrgOut:
    return OrgOut.model_validate(service.close(db, p, org_id, now=now))


@router.get("/{org_id:int}/history", operation_id="orgs-history")
def org_history(org_id: IdPath, db: DbSession, p: Annotated[Principal, requires("org.view")]) -> list[OrgHistoryOut]:
    return [OrgHistoryOut.model_validate(h) for h in service.history(db, p, org_id)]


@router.post("/import", operation_id="orgs-import")
def import_orgs(
    body: OrgImportIn,
    db: DbSession,
    p: Annotated[Principal, requires("org.create", "org.edit", "org.move")],
    now: Now,
) -> OrgImportOut:
    """Preview (``apply`` false) or apply an org tree file (CSV or .xlsx, base64). Applying writes
    every line or, when one is rejected, nothing (``applied`` false, the rejects say why)."""
    try:
        data = base64.b64decode(body.content_base64, validate=True)
    except ValueError as e:  # binascii.Error, or text that is not ASCII
        raise BadRequest("文件内容不是有效的 base64 / the file content is not valid base64", code="bad_base64") from e
    if len(data) > MAX_IMPORT_BYTES:
        raise BadRequest(
            f"文件超过 {MAX_IMPORT_BYTES // 1000} kB / the file is larger than {MAX_IMPORT_BYTES // 1000} kB",
            code="too_large",
        )
    head = db.scalar(select(Org).where(Org.parent_id.is_(None)))
    if not org_within(p, head):
        raise Forbidden(
            "导入机构树须有全行范围 / importing the org tree needs whole-bank scope", code="scope_too_narrow"
        )
    result = importer.import_orgs(db, body.file_name, data, actor=p.actor, apply=body.apply, now=now)
    return OrgImportOut.model_validate(result)
