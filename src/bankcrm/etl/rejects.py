"""The reject viewer (ETL-2, SEC-2, SEC-3): rejected lines of a run's file, in the caller's scope and
masked by the layout's field classification.

Scope: a rejected line is placed by the source org code it carries (``etl_reject.org_code``, mapped
through ``org_mapping``) with ``auth.scope.warehouse_source_org_condition``; lines whose org cannot be
known are for head-office scope only. Masking: the line is split by its layout's delimiter and each
field masked like its column (``etl.layouts.SENSITIVE_COLUMNS``) with the API's masking functions;
free text, values failing their column's format and every field of a line that does not split into
the layout's columns are masked conservatively. The line itself (bounded when stored) is returned
only to callers who may unmask.
"""

from __future__ import annotations

import re

from sqlalchemy.orm import Session

from bankcrm.auth.masking import band_text, mask, mask_unclassified
from bankcrm.auth.principal import Principal
from bankcrm.auth.scope import warehouse_source_org_condition
from bankcrm.etl.formats import FormatError, apply_formats, configured_formats
from bankcrm.etl.layouts import PLAIN_COLUMNS, SENSITIVE_COLUMNS, Column, Feed, personal
from bankcrm.etl.loader import RAW_LIMIT, TRUNCATED
from bankcrm.etl.models import EtlRun
from bankcrm.etl.schemas import RejectFieldOut, RejectOut
from bankcrm.logging import redact_text
from bankcrm.warehouse import Query, Warehouse

SHOWN = 64
"""Characters of one field shown (a 1 MB field is cut, marked with …)."""
_FORMATS = {
    "int": re.compile(r"-?[0-9]{1,18}"),
    "decimal": re.compile(r"-?[0-9]{1,16}(\.[0-9]{1,4})?"),
    "date": re.compile(r"[0-9]{8}"),
}


def _plain(c: Column, value: str) -> bool:
    if c.type == "code":
        return value in c.codes
    if c.type in _FORMATS:
        return bool(_FORMATS[c.type].fullmatch(value))
    return c.name in PLAIN_COLUMNS


# Money columns: shown as a band to callers without ``customer.amount.view`` (rates and yields are not).
AMOUNT_COLUMNS = frozenset(
    {"amount", "balance", "balance_after", "contract_amount", "credit_limit", "loan_amount", "monthly_deposit"}
    | {"overdraft_amount", "overdue_amount"}
)


def _has_amounts(feed: Feed) -> bool:
    return any(c.name in AMOUNT_COLUMNS for c in feed.columns)


def _field(feed: Feed, c: Column | None, value: str, clear: bool, amounts: bool = True) -> str:
    cut = value[:SHOWN]
    more = "…" if len(value) > SHOWN else ""
    v = value.strip()[:SHOWN]
    if not amounts and c is not None and c.name in AMOUNT_COLUMNS and _FORMATS["decimal"].fullmatch(v):
        return band_text(v)
    if clear or value.strip() == "":
        return cut + more
    if c is not None and c.name in SENSITIVE_COLUMNS:
        return (mask(SENSITIVE_COLUMNS[c.name], v) or "") + more
    if c is not None and _plain(c, v):
        return redact_text(v) + more
    if not personal(feed) and c is not None:
        return redact_text(v) + more
    return mask_unclassified(v) + more


def fields(feed: Feed, raw: str, clear: bool, truncated: bool = False, amounts: bool = True) -> list[RejectFieldOut]:
    """The line's fields by the layout, masked unless ``clear``. A line that does not split into the
    layout's columns is shown field by field, each masked conservatively (positions say nothing);
    a cut line keeps its leading fields' names."""
    parts = raw.split(feed.delimiter)
    fits = len(parts) == len(feed.columns) or (truncated and len(parts) < len(feed.columns))
    out = []
    for i, value in enumerate(parts):
        c = feed.columns[i] if fits else None
        name = c.name if c is not None else f"#{i + 1}"
        out.append(RejectFieldOut(name=name, value=_field(feed, c, value, clear, amounts)))
    return out


_OF_FEED = "FROM etl_reject WHERE business_date = CAST(:d AS DATE) AND feed = :f"
REJECT_COUNT = Query("rejects.count", f"SELECT count(*) {_OF_FEED}")
REJECT_PAGE = Query(
    "rejects.page", f"SELECT file_name, line_no, raw, reason {_OF_FEED} ORDER BY line_no LIMIT :n OFFSET :o"
)
"""The caller's scope (``warehouse_source_org_condition``) is added to both."""


def list_rejects(
    db: Session, wh: Warehouse, p: Principal, run: EtlRun, feed: Feed, *, page: int, page_size: int
) -> tuple[list[RejectOut], int]:
    scope, params = warehouse_source_org_condition(db, p, feed.system, "org_code")
    d = f"{run.business_date[:4]}-{run.business_date[4:6]}-{run.business_date[6:]}"
    params = {**params, "d": d, "f": feed.code}
    total = int(wh.scalar(REJECT_COUNT.where(scope), params))
    rows = wh.query(REJECT_PAGE.where(scope), {**params, "n": page_size, "o": (page - 1) * page_size})
    clear = p.can_unmask
    amounts = p.can_view_amounts
    try:  # the line as the bank sent it: split by the delimiter its configuration names
        shown_as = apply_formats([feed], configured_formats())[0]
    except FormatError:
        shown_as = feed  # a broken configuration fails every load with its message; show by the layout
    items = []
    for file_name, line_no, raw, reason in rows:
        text = raw or ""
        truncated = text.endswith(TRUNCATED) or len(text) > RAW_LIMIT
        text = text.removesuffix(TRUNCATED)[:RAW_LIMIT]  # lines stored before the bound was kept, too
        items.append(
            RejectOut(
                file_name=file_name,
                line_no=line_no,
                raw=text if clear and (amounts or not _has_amounts(feed)) else None,
                truncated=truncated,
                fields=fields(shown_as, text, clear, truncated, amounts),
                reason=reason[:2000] if clear else redact_text(reason[:2000]),
            )
        )
    return items, total
