"""Response bodies of the job monitor."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from pydantic import Field, StringConstraints

from bankcrm.auth.masking import IdNumber
from bankcrm.etl.models import DqStatus, RunStatus
from bankcrm.schemas import Id, In, Out, UtcDateTime


class RunOut(Out):
    id: int
    business_date: str
    status: RunStatus
    message: str | None
    failed_feed: str | None
    actor_username: str
    started_at: UtcDateTime
    finished_at: UtcDateTime | None
    seconds: float | None
    rows_received: int
    rows_accepted: int
    rows_rejected: int
    replaced: bool
    customers_created: int
    links_created: int
    dq_issues: int


class RunFileOut(Out):
    feed: str
    file_name: str
    received: int
    accepted: int
    rejected: int
    amount_total: Decimal
    seconds: float


class RunDetailOut(RunOut):
    files: list[RunFileOut]


class RejectOut(Out):
    file_name: str
    line_no: int
    raw: str | None
    """The line as received; ID, card and phone numbers in it are masked unless the caller may unmask."""
    reason: str


class StartLoadIn(In):
    business_date: Annotated[str, StringConstraints(pattern=r"^20[0-9]{2}(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])$")]


class DqIssueOut(Out):
    id: int
    kind: str
    business_date: str
    system: str | None
    ref: str | None
    id_type: str | None
    id_no: IdNumber | None
    customer_id: int | None
    detail: dict[str, Any]
    status: DqStatus
    created_at: UtcDateTime
    resolved_at: UtcDateTime | None
    resolved_by: str | None
    note: str | None


class DqCloseIn(In):
    status: DqStatus
    note: Annotated[str, Field(min_length=2, max_length=500)]


class OrgMappingOut(Out):
    system: str
    src_code: str
    src_name: str | None
    org_id: int | None
    method: str | None
    updated_at: UtcDateTime


class OrgMappingIn(In):
    org_id: Id
