"""HTTP routes of customers: list, detail (audited), reveal one field (audited with purpose)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Response

from bankcrm.api.deps import DbSession, Now, requires
from bankcrm.auth import audit
from bankcrm.auth.principal import Principal
from bankcrm.customers import repository
from bankcrm.customers.models import Customer
from bankcrm.customers.schemas import (
    CUSTOMER_COLUMNS,
    CustomerDetailOut,
    CustomerExportIn,
    CustomerOut,
    CustomerSearchIn,
    RevealIn,
    RevealOut,
)
from bankcrm.exports import XLSX_RESPONSE, check_size, xlsx_response
from bankcrm.logging import redact_text
from bankcrm.schemas import IdPath, Page
from bankcrm.system.params import get_param

router = APIRouter(prefix="/api/customers", tags=["customers"])


def _out(c: Customer, org_name: str) -> CustomerOut:
    return CustomerOut(
        id=c.id,
        customer_no=c.customer_no,
        type=c.type,
        name=c.name,
        id_type=c.id_type,
        id_no=c.id_no,
        phone=c.phone,
        org_id=c.org_id,
        org_name=org_name,
    )


@router.post("/search", operation_id="customers-search")
def search_customers(
    body: CustomerSearchIn, db: DbSession, p: Annotated[Principal, requires("customer.view")], now: Now
) -> Page[CustomerOut]:
    """A search, not a GET: what staff type (ID numbers, phones) must never land in a URL or access log."""
    rows, total = repository.search(db, p, q=body.q or None, page=body.page, page_size=body.page_size)
    if body.q and repository.may_search_sensitive(p) and repository.SENSITIVE_QUERY.match(body.q):
        # Searches by number are audited (how many matched, never the number).
        audit.append(db, p.actor, "customer.search", at=now, detail={"by": "number", "matches": total})
    return Page[CustomerOut](items=[_out(c, org) for c, org in rows], total=total)


@router.post("/export", operation_id="customers-export", responses=XLSX_RESPONSE)
def export_customers(
    body: CustomerExportIn,
    db: DbSession,
    p: Annotated[Principal, requires("customer.view", "data.export")],
    now: Now,
) -> Response:
    q = body.q or None
    _, total = repository.search(db, p, q=q, page=1, page_size=1)
    check_size(db, total)
    rows, _ = repository.search(db, p, q=q, page=1, page_size=max(total, 1))
    return xlsx_response(
        db,
        p,
        what="customers",
        title="客户" if body.lang == "zh-CN" else "Customers",
        columns=CUSTOMER_COLUMNS,
        rows=[_out(c, org) for c, org in rows],
        purpose=body.purpose,
        lang=body.lang,
        filters={"q": redact_text(q)} if q else {},
        now=now,
    )


@router.get("/{customer_id}", operation_id="customers-get")
def get_customer(
    customer_id: IdPath, db: DbSession, p: Annotated[Principal, requires("customer.view")], now: Now
) -> CustomerDetailOut:
    c, org = repository.get(db, p, customer_id)
    if get_param(db, "audit.view_customer_detail"):
        audit.append(db, p.actor, "customer.view", at=now, target_type="customer", target_id=c.id)
    return CustomerDetailOut(
        id=c.id,
        customer_no=c.customer_no,
        type=c.type,
        name=c.name,
        id_type=c.id_type,
        id_no=c.id_no,
        phone=c.phone,
        org_id=c.org_id,
        org_name=org,
        address=c.address,
    )


@router.post("/{customer_id}/reveal", operation_id="customers-reveal")
def reveal_field(
    customer_id: IdPath,
    body: RevealIn,
    db: DbSession,
    p: Annotated[Principal, requires("customer.reveal")],
    now: Now,
) -> RevealOut:
    c, _ = repository.get(db, p, customer_id)
    audit.append(
        db,
        p.actor,
        "customer.reveal",
        at=now,
        target_type="customer",
        target_id=c.id,
        detail={"field": body.field, "purpose": body.purpose},
    )
    return RevealOut(field=body.field, value=getattr(c, body.field))
