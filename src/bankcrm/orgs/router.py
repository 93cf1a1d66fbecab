"""HTTP routes of the org tree."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter

from bankcrm.api.deps import DbSession, Now, requires
from bankcrm.auth.principal import Principal
from bankcrm.auth.scope import get_org_in_scope
from bankcrm.orgs import service
from bankcrm.orgs.schemas import (
    OrgCreateIn,
    OrgHistoryOut,
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
