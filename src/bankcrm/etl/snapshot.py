"""The serving snapshot (ETL item 7): after each published date, per account and per customer, the
latest balance and the daily averages (日均余额) for the month, quarter and year to date, kept ready
so that the UI reads them in milliseconds instead of scanning history per request.

Daily average = the sum of the day-end balances of the period's loaded business dates up to the date,
divided by their number. Balances are the feeds' own: deposits (savings, corporate), loans (corporate,
personal), card debt, wealth and fund holdings, housing fund.
"""

from __future__ import annotations

from datetime import date

import duckdb
import pyarrow as pa  # type: ignore[import-untyped]
from sqlalchemy import select
from sqlalchemy.orm import Session

from bankcrm.customers.models import AccountLink
from bankcrm.etl.loader import parse_business_date

# (system, fact table, account column, balance column, product expression, kind)
SOURCES = (
    ("sav", "f_sav_account", "account_no", "balance", "product", "deposit"),
    ("corp", "f_corp_account", "account_no", "balance", "product", "deposit"),
    ("crd", "f_crd_loan", "contract_no", "balance", "product", "loan"),
    ("pl", "f_pl_loan", "loan_no", "balance", "product", "loan"),
    ("card", "f_card_account", "card_no", "balance", "'CREDIT_CARD'", "card_debt"),
    ("wm", "f_wm_holding", "holding_id", "amount", "product_type", "wealth"),
    ("hpf", "f_hpf_account", "hpf_account_no", "balance", "'HPF'", "housing_fund"),
)


def _period_starts(d: date) -> tuple[date, date, date]:
    quarter_month = 3 * ((d.month - 1) // 3) + 1
    return d.replace(day=1), d.replace(month=quarter_month, day=1), d.replace(month=1, day=1)


def export_links(db: Session, wh: duckdb.DuckDBPyConnection) -> int:
    """Copy the account→customer links into the warehouse (replaced whole) for customer aggregates."""
    rows = db.execute(select(AccountLink.system, AccountLink.account_no, AccountLink.customer_id)).all()
    table = pa.table(
        {
            "system": pa.array([r[0] for r in rows], pa.string()),
            "account_no": pa.array([r[1] for r in rows], pa.string()),
            "customer_id": pa.array([r[2] for r in rows], pa.int64()),
        }
    )
    wh.register("links_in", table)
    wh.execute("CREATE OR REPLACE TABLE d_account_link AS SELECT * FROM links_in")
    wh.unregister("links_in")
    return len(rows)


def build(wh: duckdb.DuckDBPyConnection, business_date: str) -> int:
    """Rebuild ``s_account_balance`` and ``s_customer_balance`` as of the date; returns account rows."""
    d = parse_business_date(business_date)
    month, quarter, year = _period_starts(d)
    parts = [
        f"""SELECT '{system}' AS system, {acct} AS account_no, '{kind}' AS kind,
                   business_date, {product} AS product, org_code, {bal} AS balance
            FROM {table} WHERE business_date BETWEEN $year AND $d"""
        for system, table, acct, bal, product, kind in SOURCES
    ]
    params = {"d": d, "month": month, "quarter": quarter, "year": year}
    wh.execute("BEGIN TRANSACTION")
    try:
        wh.execute(
            f"""CREATE OR REPLACE TABLE s_account_balance AS
            WITH h AS ({" UNION ALL ".join(parts)})
            SELECT system, account_no, any_value(kind) AS kind, $d::DATE AS as_of,
                   arg_max(product, business_date) AS product, arg_max(org_code, business_date) AS org_code,
                   max(business_date) = $d AS open_on_date,
                   arg_max(balance, business_date) FILTER (WHERE business_date = $d) AS balance,
                   avg(balance) FILTER (WHERE business_date >= $month) AS mtd_avg,
                   avg(balance) FILTER (WHERE business_date >= $quarter) AS qtd_avg,
                   avg(balance) AS ytd_avg
            FROM h GROUP BY system, account_no""",
            params,
        )
        has_links = wh.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'd_account_link'"
        ).fetchone()[0]  # type: ignore[index]
        if has_links:
            wh.execute(
                """CREATE OR REPLACE TABLE s_customer_balance AS
                SELECT l.customer_id, any_value(b.as_of) AS as_of,
                       coalesce(sum(b.balance) FILTER (WHERE b.kind = 'deposit'), 0) AS deposits,
                       coalesce(sum(b.balance) FILTER (WHERE b.kind IN ('deposit', 'wealth')), 0) AS aum,
                       coalesce(sum(b.balance) FILTER (WHERE b.kind IN ('loan', 'card_debt')), 0) AS liabilities,
                       coalesce(sum(b.mtd_avg) FILTER (WHERE b.kind = 'deposit'), 0) AS deposits_mtd_avg,
                       coalesce(sum(b.qtd_avg) FILTER (WHERE b.kind = 'deposit'), 0) AS deposits_qtd_avg,
                       coalesce(sum(b.ytd_avg) FILTER (WHERE b.kind = 'deposit'), 0) AS deposits_ytd_avg,
                       count(*) AS accounts
                FROM s_account_balance b JOIN d_account_link l USING (system, account_no)
                GROUP BY l.customer_id"""
            )
        wh.execute("COMMIT")
    except BaseException:
        wh.execute("ROLLBACK")
        raise
    return int(wh.execute("SELECT count(*) FROM s_account_balance").fetchone()[0])  # type: ignore[index]
