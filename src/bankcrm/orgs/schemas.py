"""Request and response bodies of the org tree."""

from __future__ import annotations

from typing import Annotated, Any

from bankcrm.orgs.models import OrgLevel, OrgStatus
from bankcrm.schemas import Code, Id, In, Lax, Name, Out, UtcDateTime


class OrgOut(Out):
    id: int
    code: str
    name: str
    level: OrgLevel
    parent_id: int | None
    path: str
    status: OrgStatus
    merged_into_id: int | None


class OrgNode(OrgOut):
    children: list[OrgNode] = []


class OrgCreateIn(In):
    code: Code
    name: Name
    level: Annotated[OrgLevel, Lax]
    parent_id: Id


class OrgRenameIn(In):
    name: Name


class OrgMoveIn(In):
    new_parent_id: Id


class OrgMergeIn(In):
    into_org_id: Id


class OrgHistoryOut(Out):
    id: int
    org_id: int
    action: str
    detail: dict[str, Any]
    actor_username: str
    at: UtcDateTime
