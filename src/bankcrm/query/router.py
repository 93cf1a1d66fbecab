"""HTTP routes of the linked queries (QRY-1..QRY-4) and their Excel exports (QRY-6). Searches are
POSTs: conditions (names, ID and account numbers) never land in a URL or an access log."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Request, Response
from sqlalchemy.orm import Session

from bankcrm.api.deps import DbSession, Now, requires
from bankcrm.auth.principal import Principal
from bankcrm.exports import XLSX_RESPONSE, Column, check_size, xlsx_response
from bankcrm.logging import redact_text
from bankcrm.query import service
from bankcrm.query.schemas import (
    ACCOUNT_COLUMNS,
    TOP_COLUMNS,
    AccountRowOut,
    CorporateQueryExportIn,
    CorporateQueryPageIn,
    PassbookQueryExportIn,
    PassbookQueryPageIn,
    PersonalQueryExportIn,
    PersonalQueryPageIn,
    TopQueryExportIn,
    TopQueryIn,
    TopRowOut,
)
from bankcrm.schemas import In, Page

router = APIRouter(prefix="/api/query", tags=["query"])

View = Annotated[Principal, requires("customer.view")]
Export = Annotated[Principal, requires("customer.view", "data.export")]


def _page(request: Request, db: Session, p: Principal, w: service.Where, body: Any) -> Page[AccountRowOut]:
    rows, total = service.account_rows(
        db,
        request.app.state.warehouse(),
        p,
        w,
        sort=body.sort,
        order=body.order,
        page=body.page,
        page_size=body.page_size,
    )
    refs = request.app.state.refs
    items = [AccountRowOut(**r, ref=refs.account(r["system"], r["account_no"])) for r in rows]
    return Page[AccountRowOut](items=items, total=total)


def _filters(body: In) -> dict[str, str]:
    """The conditions as written into the exported file (numbers masked, nothing empty)."""
    shown = body.model_dump(mode="json", exclude={"purpose", "lang"}, exclude_defaults=True)
    return {k: redact_text(str(v)) for k, v in shown.items()}


def _export_accounts(
    request: Request,
    db: Session,
    p: Principal,
    w: service.Where,
    body: Any,
    what: str,
    titles: tuple[str, str],
    now: Any,
) -> Response:
    wh = request.app.state.warehouse()
    _, total = service.account_rows(db, wh, p, w, sort=body.sort, order=body.order, page=1, page_size=1)
    check_size(db, total)
    rows, _ = service.account_rows(db, wh, p, w, sort=body.sort, order=body.order, page=1, page_size=max(total, 1))
    return xlsx_response(
        db,
        p,
        what=what,
        title=titles[0] if body.lang == "zh-CN" else titles[1],
        columns=ACCOUNT_COLUMNS,
        rows=[AccountRowOut(**r, ref="") for r in rows],
        purpose=body.purpose,
        lang=body.lang,
        filters=_filters(body),
        now=now,
    )


@router.post("/personal-accounts", operation_id="query-personal_accounts")
def personal_accounts(body: PersonalQueryPageIn, request: Request, db: DbSession, p: View) -> Page[AccountRowOut]:
    """QRY-1: personal accounts across savings, cards, housing fund and personal loans."""
    return _page(request, db, p, service.personal_where(db, p, body), body)


@router.post("/personal-accounts/export", operation_id="query-personal_accounts_export", responses=XLSX_RESPONSE)
def personal_accounts_export(
    body: PersonalQueryExportIn, request: Request, db: DbSession, p: Export, now: Now
) -> Response:
    w = service.personal_where(db, p, body)
    return _export_accounts(request, db, p, w, body, "query.personal", ("个人账户联动查询", "Personal accounts"), now)


@router.post("/passbooks", operation_id="query-passbooks")
def passbooks(body: PassbookQueryPageIn, request: Request, db: DbSession, p: View) -> Page[AccountRowOut]:
    """QRY-2: fixed-term passbooks (定期一折通) by org, open date and balance range."""
    return _page(request, db, p, service.passbook_where(db, p, body), body)


@router.post("/passbooks/export", operation_id="query-passbooks_export", responses=XLSX_RESPONSE)
def passbooks_export(body: PassbookQueryExportIn, request: Request, db: DbSession, p: Export, now: Now) -> Response:
    w = service.passbook_where(db, p, body)
    return _export_accounts(request, db, p, w, body, "query.passbooks", ("定期一折通查询", "Fixed-term passbooks"), now)


@router.post("/corporate", operation_id="query-corporate")
def corporate(body: CorporateQueryPageIn, request: Request, db: DbSession, p: View) -> Page[AccountRowOut]:
    """QRY-3: corporate deposit accounts and credit by name, business type + account number, open date."""
    return _page(request, db, p, service.corporate_where(db, p, body), body)


@router.post("/corporate/export", operation_id="query-corporate_export", responses=XLSX_RESPONSE)
def corporate_export(body: CorporateQueryExportIn, request: Request, db: DbSession, p: Export, now: Now) -> Response:
    w = service.corporate_where(db, p, body)
    return _export_accounts(request, db, p, w, body, "query.corporate", ("对公联动查询", "Corporate query"), now)


@router.post("/top-corporate", operation_id="query-top_corporate")
def top_corporate(body: TopQueryIn, request: Request, db: DbSession, p: View) -> list[TopRowOut]:
    """QRY-4: the top-N corporate customers of an org by deposits, loans or non-performing loans."""
    return [TopRowOut(**r) for r in service.top_customers(db, request.app.state.warehouse(), p, body)]


@router.post("/top-corporate/export", operation_id="query-top_corporate_export", responses=XLSX_RESPONSE)
def top_corporate_export(body: TopQueryExportIn, request: Request, db: DbSession, p: Export, now: Now) -> Response:
    rows = service.top_customers(db, request.app.state.warehouse(), p, body)
    columns: tuple[Column, ...] = TOP_COLUMNS
    return xlsx_response(
        db,
        p,
        what="query.top_corporate",
        title="对公十大客户" if body.lang == "zh-CN" else "Top corporate customers",
        columns=columns,
        rows=[TopRowOut(**r) for r in rows],
        purpose=body.purpose,
        lang=body.lang,
        filters=_filters(body),
        now=now,
    )
