"""Response bodies of the job monitor."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from pydantic import Field, StringConstraints, computed_field

from bankcrm.auth.masking import AccountNumber, IdNumber
from bankcrm.etl.models import DqStatus, RunStatus
from bankcrm.schemas import Id, In, Lax, Out, UtcDateTime


def failure_text(message: str | None) -> str:
    """The line a failed run reads as (CLI and UI): the reason, and that nothing was published."""
    zh, sep, en = (message or "").partition(" / ")
    if not sep:
        zh, en = message or "未知原因", message or "unknown reason"
    return f"失败：{zh}；未发布任何数据 / failed: {en}; nothing published"


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
    customers_updated: int
    links_created: int
    accounts_unmapped: int
    links_review: int
    dq_issues: int

    @computed_field  # type: ignore[prop-decorator]
    @property
    def failure(self) -> str | None:
        """For a failed run, what to show instead of any count: ``失败：<原因>；未发布任何数据 /
        failed: <reason>; nothing published``."""
        return failure_text(self.message) if self.status == RunStatus.failed else None


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


class RejectFieldOut(Out):
    name: str
    """The layout's column, or ``#n`` for the n-th field of a line that does not fit the layout."""
    value: str
    """Masked by the column's classification unless the caller may unmask; long values are cut (…)."""


class RejectOut(Out):
    file_name: str
    line_no: int
    raw: str | None
    """The line as received (at most 2 KB), only for callers who may unmask; None for the others."""
    truncated: bool
    """The line was longer than what is kept."""
    fields: list[RejectFieldOut]
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
    status: Annotated[DqStatus, Lax]
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


Prefix = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9]{0,16}$")]
Note = Annotated[str, Field(min_length=2, max_length=500)]


class OrgMappingRuleIn(In):
    strip_prefix: Prefix = ""
    add_prefix: Prefix = ""


class OrgMappingRuleOut(Out):
    system: str
    strip_prefix: str
    add_prefix: str
    updated_at: UtcDateTime
    updated_by: str


class OrgMappingRuleResult(Out):
    rule: OrgMappingRuleOut
    mapped: int
    """Unmapped codes of the system the rule placed now."""
    unmapped: int
    """Codes still unmapped (no such org in the tree, or outside the caller's scope)."""


class MergeIn(In):
    survivor_id: Id
    merged_id: Id
    note: Note


class MergeOut(Out):
    survivor_id: int
    links_moved: int


class RelinkIn(In):
    system: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,8}$")]
    account_no: Annotated[AccountNumber, StringConstraints(pattern=r"^[0-9A-Za-z_-]{1,40}$")]
    customer_id: Id
    note: Note


class RelinkOut(Out):
    system: str
    customer_id: int
