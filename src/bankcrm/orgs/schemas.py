"""Request and response bodies of the org tree."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import StringConstraints

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


# A tree file travels inside a JSON body (writes must be JSON: see docs/security.md), base64-encoded,
# under the server's 1 MB body limit: 700 kB of file is about 935 kB of base64.
MAX_IMPORT_BYTES = 700_000
MAX_IMPORT_BASE64 = (MAX_IMPORT_BYTES + 2) // 3 * 4


class OrgImportIn(In):
    file_name: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    content_base64: Annotated[
        str, StringConstraints(min_length=1, max_length=MAX_IMPORT_BASE64, pattern=r"^[A-Za-z0-9+/]*={0,2}$")
    ]
    apply: bool = False
    """False: preview only. True: write everything, or nothing when a line is rejected."""


class OrgImportChangeOut(Out):
    line: int
    code: str
    name: str
    level: OrgLevel
    parent_code: str | None
    type: str | None
    changes: dict[str, list[str | None]]


class OrgImportRejectOut(Out):
    line: int
    code: str
    reason: str


class OrgImportAbsentOut(Out):
    code: str
    name: str


class OrgImportOut(Out):
    file_name: str
    file_format: str
    encoding: str | None
    rows: int
    creates: list[OrgImportChangeOut]
    updates: list[OrgImportChangeOut]
    unchanged: int
    rejects: list[OrgImportRejectOut]
    absent: list[OrgImportAbsentOut]
    applied: bool
