"""Linked queries over the warehouse's serving snapshot (QRY-1..QRY-4). Each query turns typed
conditions into conditions of fixed fragments with bound values, composed onto the declared queries
with SQLGlot's builder (``Query.where`` / ``order_by``), adds the caller's data scope
(``auth.scope.warehouse_customer_condition``), and checks the returned customers once more against
the operational store, so a customer moved out of the caller's scope since the last load never shows."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlglot import exp

from bankcrm.auth.masking import BAND_EDGES, is_band_edge
from bankcrm.auth.principal import Principal
from bankcrm.auth.scope import get_org_in_scope, warehouse_customer_condition
from bankcrm.customers import repository
from bankcrm.customers.models import Customer
from bankcrm.db import contains_pattern
from bankcrm.errors import Forbidden
from bankcrm.idnumbers import normalize_resident_id
from bankcrm.orgs.models import Org
from bankcrm.query.schemas import CorporateQueryIn, PassbookQueryIn, PersonalQueryIn, TopQueryIn
from bankcrm.warehouse import Query, Warehouse
from bankcrm.warehouse.sql import column, cond, in_list

ROW_COLUMNS = (
    "b.system",
    "b.account_no",
    "b.kind",
    "b.customer_id",
    "c.customer_no",
    "c.name",
    "b.product",
    "b.org_code",
    "b.balance",
    "b.mtd_avg",
    "b.open_date",
    "b.maturity_date",
    "b.rate",
    "b.amount",
    "b.five_class",
    "b.overdue_days",
    "b.status",
    "b.as_of",
)
ROW_NAMES = tuple(c.split(".")[1] if c != "c.name" else "customer_name" for c in ROW_COLUMNS)
SORTS = {
    "balance": "b.balance",
    "mtd_avg": "b.mtd_avg",
    "open_date": "b.open_date",
    "maturity_date": "b.maturity_date",
    "customer_no": "c.customer_no",
    "account_no": "b.account_no",
}
PASSBOOK_PRODUCTS = ("SAV_YZT",)
NPL_CLASSES = ("3", "4", "5")

_FROM = "FROM s_account_balance b JOIN d_customer c ON c.customer_id = b.customer_id"
ACCOUNT_COUNT = Query("query.accounts.count", f"SELECT count(*) {_FROM}")
ACCOUNT_PAGE = Query(
    "query.accounts.page",
    f"SELECT {', '.join(ROW_COLUMNS)} {_FROM} ORDER BY b.system, b.account_no LIMIT :n OFFSET :o",
)
"""The caller's conditions are added to both (``Where``); the chosen sort goes before the fixed keys."""
TOP_BY = {
    by: Query(
        f"query.top_customers.by_{by}",
        f"""WITH t AS (
            SELECT c.customer_id, c.customer_no, c.name, c.org_id,
                   coalesce(sum(b.balance) FILTER (WHERE b.kind = 'deposit'), 0) AS deposits,
                   coalesce(sum(b.balance) FILTER (WHERE b.kind = 'loan'), 0) AS loans,
                   coalesce(sum(b.balance) FILTER (WHERE b.kind = 'loan' AND b.five_class IN (:npl_classes)), 0)
                     AS npl
            {_FROM}
            GROUP BY c.customer_id, c.customer_no, c.name, c.org_id)
        SELECT customer_id, customer_no, name, org_id, deposits, loans, npl FROM t
        WHERE {by} > 0 ORDER BY {by} DESC, customer_no LIMIT :n""",  # noqa: S608 (declared once per column)
    )
    for by in ("deposits", "loans", "npl")
}
"""Corporate customers ranked by one column (one declared query per ranking column); the caller's
conditions go in the per-customer sums (``t``)."""


@lru_cache(maxsize=256)
def _fragment(sql: str) -> exp.Expression:
    return cond(sql)


@dataclass
class Where:
    """Conditions (fragments written in code, parsed by SQLGlot) and the values they bind."""

    conditions: list[exp.Expression] = field(default_factory=list)
    params: dict[str, Any] = field(default_factory=dict)

    def add(self, condition: str | exp.Expression, **params: Any) -> None:
        self.conditions.append(_fragment(condition) if isinstance(condition, str) else condition)
        self.params.update(params)

    def add_in(self, column_name: str, name: str, values: list[Any] | tuple[Any, ...]) -> None:
        """``column IN (values)``: the list is bound by the warehouse layer (none matches nothing)."""
        self.conditions.append(in_list(column_name, name))
        self.params[name] = list(values)

    def apply(self, query: Query, *, into: str | None = None) -> Query:
        return query.where(*self.conditions, into=into)


def _scoped(db: Session, p: Principal, org_id: int | None) -> Where:
    """The caller's data scope over ``d_customer c``, narrowed to an org's subtree when one is given."""
    w = Where()
    scope, scope_params = warehouse_customer_condition(db, p, "c")
    w.add(scope, **scope_params)
    w.add("b.open_on_date")
    if org_id is not None:
        org = get_org_in_scope(db, p, org_id)
        subtree = db.scalars(select(Org.id).where(Org.path.startswith(org.path, autoescape=True)))
        w.add_in("c.org_id", "org", list(subtree))
    return w


def _base(db: Session, p: Principal, f: PersonalQueryIn | PassbookQueryIn | CorporateQueryIn) -> Where:
    w = _scoped(db, p, f.org_id)
    if f.open_from:
        w.add("b.open_date >= :open_from", open_from=f.open_from)
    if f.open_to:
        w.add("b.open_date <= :open_to", open_to=f.open_to)
    bounds = [b for b in (f.balance_min, f.balance_max) if b is not None]
    if not p.can_view_amounts and not all(is_band_edge(b) for b in bounds):
        # Callers who see bands may bound balances by band edges only: free bounds would find any
        # amount to the cent by halving the range.
        raise Forbidden(
            "金额区间只能按档位选择（1万、5万、10万、50万、100万、500万、1000万）/ "
            "without the amount right, balance bounds must be band edges",
            code="amount_search",
            details={"edges": list(BAND_EDGES)},
        )
    if f.balance_min is not None:
        w.add("b.balance >= :balance_min", balance_min=f.balance_min)
    if f.balance_max is not None:
        w.add("b.balance <= :balance_max", balance_max=f.balance_max)
    return w


def _sensitive(p: Principal, *values: object) -> None:
    if any(v for v in values) and not repository.may_search_sensitive(p):
        raise Forbidden(
            "按证件号码或账号查询需要查看明文权限 / searching by ID or account number needs the reveal right",
            code="sensitive_search",
        )


def personal_where(db: Session, p: Principal, f: PersonalQueryIn) -> Where:
    _sensitive(p, f.id_no, f.account_no)
    w = _base(db, p, f)
    w.add("c.type = 'personal'")
    w.add_in("b.system", "sys", sorted(set(f.systems)))
    if f.name:
        w.add("c.name LIKE :name ESCAPE '\\'", name=contains_pattern(f.name))
    if f.id_no:
        number = normalize_resident_id(f.id_no.upper()) or f.id_no.upper()
        ids = list(db.scalars(repository.readable_ids(p).where(Customer.id_no == number)))
        w.add_in("c.customer_id", "idc", ids)
    if f.account_no:
        w.add("b.account_no = :account_no", account_no=f.account_no)
    if f.products:
        w.add_in("b.product", "prod", sorted(set(f.products)))
    if f.maturity_from:
        w.add("b.maturity_date >= :maturity_from", maturity_from=f.maturity_from)
    if f.maturity_to:
        w.add("b.maturity_date <= :maturity_to", maturity_to=f.maturity_to)
    if f.overdue_only:
        w.add("coalesce(b.overdue_days, 0) > 0")
    if f.five_class:
        w.add_in("b.five_class", "cls", sorted(set(f.five_class)))
    return w


def passbook_where(db: Session, p: Principal, f: PassbookQueryIn) -> Where:
    w = _base(db, p, f)
    w.add("b.system = 'sav'")
    w.add_in("b.product", "prod", PASSBOOK_PRODUCTS)
    return w


def corporate_where(db: Session, p: Principal, f: CorporateQueryIn) -> Where:
    _sensitive(p, f.account_no)
    w = _base(db, p, f)
    w.add("c.type = 'corporate'")
    w.add_in("b.system", "sys", ("corp", "crd"))
    if f.name:
        w.add("c.name LIKE :name ESCAPE '\\'", name=contains_pattern(f.name))
    if f.product:
        w.add("b.product = :product", product=f.product)
    if f.account_no:
        w.add("b.account_no = :account_no", account_no=f.account_no)
    return w


def _in_scope(db: Session, p: Principal, customer_ids: set[int]) -> set[int]:
    if not customer_ids:
        return set()
    return set(db.scalars(repository.readable_ids(p).where(Customer.id.in_(customer_ids))))


def account_rows(
    db: Session, wh: Warehouse, p: Principal, w: Where, *, sort: str, order: str, page: int, page_size: int
) -> tuple[list[dict[str, Any]], int]:
    total = int(wh.scalar(w.apply(ACCOUNT_COUNT), w.params))
    key = exp.Ordered(this=column(SORTS[sort]), desc=order == "desc", nulls_first=False)
    rows = wh.query(w.apply(ACCOUNT_PAGE).order_by(key), w.params | {"n": page_size, "o": (page - 1) * page_size})
    items = [dict(zip(ROW_NAMES, r, strict=True)) for r in rows]
    allowed = _in_scope(db, p, {int(i["customer_id"]) for i in items})
    return [i for i in items if i["customer_id"] in allowed], total


def top_customers(db: Session, wh: Warehouse, p: Principal, f: TopQueryIn) -> list[dict[str, Any]]:
    w = _scoped(db, p, f.org_id)
    w.add("c.type = 'corporate'")
    rows = wh.query(w.apply(TOP_BY[f.by], into="t"), w.params | {"n": f.n, "npl_classes": list(NPL_CLASSES)})
    allowed = _in_scope(db, p, {int(r[0]) for r in rows})
    orgs = {i: n for i, n in db.execute(select(Org.id, Org.name).where(Org.id.in_({r[3] for r in rows})))}
    out: list[dict[str, Any]] = []
    for r in rows:
        if r[0] not in allowed:
            continue
        out.append(
            {
                "rank": len(out) + 1,
                "customer_id": r[0],
                "customer_no": r[1],
                "name": r[2],
                "org_name": orgs.get(r[3], ""),
                "deposits": r[4],
                "loans": r[5],
                "npl": r[6],
            }
        )
    return out
