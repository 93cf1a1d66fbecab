"""Every read of customers starts from the caller's readable statement (``auth.scope``)."""

from __future__ import annotations

import re

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from bankcrm.auth.principal import Principal
from bankcrm.auth.scope import readable_customers
from bankcrm.customers.models import Customer
from bankcrm.db import contains_pattern
from bankcrm.errors import NotFound
from bankcrm.orgs.models import Org


def may_search_sensitive(p: Principal) -> bool:
    """Exact search by ID number or phone tells whether a guessed number belongs to a customer, which
    unmasks it digit by digit; only callers who may see such numbers in clear may search by them."""
    return p.has("customer.reveal") or p.can_unmask


SENSITIVE_QUERY = re.compile(r"^[0-9Xx]{7,18}$")


def search(
    db: Session, p: Principal, *, q: str | None, page: int, page_size: int
) -> tuple[list[tuple[Customer, str]], int]:
    stmt = readable_customers(p)
    if q:
        conditions = [Customer.name.like(contains_pattern(q), escape="\\"), Customer.customer_no == q]
        if may_search_sensitive(p):
            conditions += [Customer.id_no == q.upper(), Customer.phone == q]
        stmt = stmt.where(or_(*conditions))
    total = db.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = db.execute(
        stmt.add_columns(Org.name)
        .join(Org, Org.id == Customer.org_id)
        .order_by(Customer.customer_no)
        .offset((page - 1) * page_size)
        .limit(page_size)
    ).all()
    return [(r[0], r[1]) for r in rows], total


def get(db: Session, p: Principal, customer_id: int) -> tuple[Customer, str]:
    row = db.execute(
        readable_customers(p)
        .add_columns(Org.name)
        .join(Org, Org.id == Customer.org_id)
        .where(Customer.id == customer_id)
    ).first()
    if row is None:
        raise NotFound("客户不存在 / customer not found")
    return row[0], row[1]
