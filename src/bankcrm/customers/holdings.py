"""What the customer 360 view reads from the warehouse's serving snapshot: every account of the
customer with its balance, daily averages and details, the customer's totals, the trend over the
loaded dates, and recent transactions. The serving tables exist from the moment the server opens the
warehouse (``snapshot.ensure_schema``). Callers pass a customer already checked against the caller's
scope (``repository.get``)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from bankcrm.etl.snapshot import DETAIL_COLUMNS, TXN_COLUMNS
from bankcrm.warehouse import Query, Warehouse

ACCOUNT_COLUMNS = (
    "system",
    "account_no",
    "kind",
    "product",
    "org_code",
    "open_on_date",
    "balance",
    "mtd_avg",
    "qtd_avg",
    "ytd_avg",
    *DETAIL_COLUMNS,
)
TOTAL_COLUMNS = (
    "as_of",
    "deposits",
    "wealth",
    "aum",
    "loans",
    "card_debt",
    "liabilities",
    "housing_fund",
    "deposits_mtd_avg",
    "deposits_qtd_avg",
    "deposits_ytd_avg",
    "aum_mtd_avg",
    "aum_qtd_avg",
    "aum_ytd_avg",
    "accounts",
)
TREND_COLUMNS = ("business_date", "deposits", "wealth", "loans", "card_debt", "housing_fund")

TXN_LIST_COLUMNS = ("system", "account_no", *TXN_COLUMNS)

# A customer has a handful of accounts and dates: they are ordered here, not by the engine (a sort
# operator costs DuckDB more than the point read itself).
ACCOUNTS = Query(
    "holdings.accounts", f"SELECT {', '.join(ACCOUNT_COLUMNS)} FROM s_account_balance WHERE customer_id = :c"
)
TOTALS = Query("holdings.totals", f"SELECT {', '.join(TOTAL_COLUMNS)} FROM s_customer_balance WHERE customer_id = :c")
TREND = Query("holdings.trend", f"SELECT {', '.join(TREND_COLUMNS)} FROM s_customer_daily WHERE customer_id = :c")
_MINE = "FROM s_recent_txn WHERE customer_id = :c AND business_date BETWEEN :since AND :as_of"
TXN_COUNT = Query("holdings.transactions.count", f"SELECT count(*) {_MINE}")
TXN_PAGE = Query(
    "holdings.transactions.page",
    f"SELECT {', '.join(TXN_LIST_COLUMNS)} {_MINE} ORDER BY txn_date DESC, txn_time DESC, txn_id DESC "
    "LIMIT :n OFFSET :o",
)


def accounts(wh: Warehouse, customer_id: int) -> list[dict[str, Any]]:
    rows = wh.query(ACCOUNTS, {"c": customer_id})
    return sorted((dict(zip(ACCOUNT_COLUMNS, r, strict=True)) for r in rows), key=_account_order)


def _account_order(a: dict[str, Any]) -> tuple[str, str, str]:
    return (a["system"], a["kind"], a["account_no"])


def totals(wh: Warehouse, customer_id: int) -> dict[str, Any] | None:
    rows = wh.query(TOTALS, {"c": customer_id})
    return dict(zip(TOTAL_COLUMNS, rows[0], strict=True)) if rows else None


def trend(wh: Warehouse, customer_id: int) -> list[dict[str, Any]]:
    rows = wh.query(TREND, {"c": customer_id})
    return [dict(zip(TREND_COLUMNS, r, strict=True)) for r in sorted(rows, key=lambda r: r[0])]


def product_mix(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Balances by product of the assets (deposits, wealth, housing fund) and of the liabilities."""
    mix: dict[tuple[str, str], Decimal] = {}
    for a in items:
        if a["balance"] is None:
            continue
        key = (a["kind"], a["product"] or "")
        mix[key] = mix.get(key, Decimal(0)) + Decimal(a["balance"])
    return [{"kind": k, "product": p, "balance": b} for (k, p), b in sorted(mix.items(), key=lambda x: -x[1])]


def transactions(
    wh: Warehouse, customer_id: int, *, as_of: date | None, days: int, page: int, page_size: int
) -> tuple[list[dict[str, Any]], int]:
    """The customer's deposit and card transactions of the last ``days`` loaded days, newest first, from
    ``s_recent_txn`` (which holds the window the parameter had at the last build; a longer window set
    since shows from the next load)."""
    if as_of is None:
        return [], 0
    since = as_of - timedelta(days=days - 1)
    params = {"c": customer_id, "since": since, "as_of": as_of}
    total = int(wh.scalar(TXN_COUNT, params))
    if total == 0:
        return [], 0
    rows = wh.query(TXN_PAGE, params | {"n": page_size, "o": (page - 1) * page_size})
    return [dict(zip(TXN_LIST_COLUMNS, r, strict=True)) for r in rows], total
