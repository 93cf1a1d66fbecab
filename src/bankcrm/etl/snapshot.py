"""The serving snapshot (ETL item 7): after each published date, per account and per customer, the
latest balance and the daily averages (日均余额) for the month, quarter and year to date, kept ready
so that the UI reads them in milliseconds instead of scanning history per request.

Daily average = the sum of the day-end balances of the period's loaded business dates up to the date,
divided by their number. Balances are the feeds' own: deposits (savings, corporate), loans (corporate,
personal), card debt, wealth and fund holdings, housing fund.
"""

from __future__ import annotations

from datetime import date

import pyarrow as pa  # type: ignore[import-untyped]
from sqlalchemy import select
from sqlalchemy.orm import Session

from bankcrm.customers.models import AccountLink
from bankcrm.etl.loader import parse_business_date
from bankcrm.warehouse import Warehouse

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

SNAPSHOT_DDL = (
    """CREATE TABLE IF NOT EXISTS d_account_link (system VARCHAR NOT NULL, account_no VARCHAR NOT NULL,
       customer_id BIGINT NOT NULL, PRIMARY KEY (system, account_no))""",
    """CREATE TABLE IF NOT EXISTS s_account_balance (system VARCHAR NOT NULL, account_no VARCHAR NOT NULL,
       kind VARCHAR NOT NULL, as_of DATE NOT NULL, product VARCHAR, org_code VARCHAR, open_on_date BOOLEAN,
       balance DECIMAL(20, 4), mtd_avg DECIMAL(20, 4), qtd_avg DECIMAL(20, 4), ytd_avg DECIMAL(20, 4),
       PRIMARY KEY (system, account_no))""",
    """CREATE TABLE IF NOT EXISTS s_customer_balance (customer_id BIGINT PRIMARY KEY, as_of DATE NOT NULL,
       deposits DECIMAL(20, 4) NOT NULL, aum DECIMAL(20, 4) NOT NULL, liabilities DECIMAL(20, 4) NOT NULL,
       deposits_mtd_avg DECIMAL(20, 4) NOT NULL, deposits_qtd_avg DECIMAL(20, 4) NOT NULL,
       deposits_ytd_avg DECIMAL(20, 4) NOT NULL, accounts BIGINT NOT NULL)""",
)


def ensure_schema(wh: Warehouse) -> None:
    for ddl in SNAPSHOT_DDL:
        wh.execute(ddl)


def _period_starts(d: date) -> tuple[date, date, date]:
    quarter_month = 3 * ((d.month - 1) // 3) + 1
    return d.replace(day=1), d.replace(month=quarter_month, day=1), d.replace(month=1, day=1)


def export_links(db: Session, wh: Warehouse) -> int:
    """Copy the account→customer links into the warehouse (replaced whole) for customer aggregates."""
    rows = db.execute(select(AccountLink.system, AccountLink.account_no, AccountLink.customer_id)).all()
    table = pa.table(
        {
            "system": pa.array([r[0] for r in rows], pa.string()),
            "account_no": pa.array([r[1] for r in rows], pa.string()),
            "customer_id": pa.array([r[2] for r in rows], pa.int64()),
        }
    )
    ensure_schema(wh)
    with wh.transaction() as tx:
        tx.execute("DELETE FROM d_account_link")
        tx.copy_rows("d_account_link", ("system", "account_no", "customer_id"), table)
    return len(rows)


def build(wh: Warehouse, business_date: str) -> int:
    """Rebuild ``s_account_balance`` and ``s_customer_balance`` as of the date; returns account rows."""
    d = parse_business_date(business_date)
    month, quarter, year = _period_starts(d)
    parts = [
        f"""SELECT '{system}' AS system, {acct} AS account_no, '{kind}' AS kind,
                   business_date, {product} AS product, org_code, {bal} AS balance
            FROM {table} WHERE business_date BETWEEN :year AND :d"""
        for system, table, acct, bal, product, kind in SOURCES
    ]
    params = {"d": d, "month": month, "quarter": quarter, "year": year}
    ensure_schema(wh)
    with wh.transaction() as tx:
        tx.execute("DELETE FROM s_account_balance")
        tx.execute("DELETE FROM s_customer_balance")
        # Averages per account over the period's loaded dates; product, org and balance from the
        # account's latest row (balance only when that row is the date itself: the account is open).
        tx.execute(
            f"""INSERT INTO s_account_balance (system, account_no, kind, as_of, product, org_code, open_on_date,
                   balance, mtd_avg, qtd_avg, ytd_avg)
            WITH h AS ({" UNION ALL ".join(parts)}),
            agg AS (
                SELECT system, account_no, max(business_date) AS last_date,
                       avg(balance) FILTER (WHERE business_date >= :month) AS mtd_avg,
                       avg(balance) FILTER (WHERE business_date >= :quarter) AS qtd_avg,
                       avg(balance) AS ytd_avg
                FROM h GROUP BY system, account_no)
            SELECT a.system, a.account_no, h.kind, :d, h.product, h.org_code, a.last_date = :d,
                   CASE WHEN a.last_date = :d THEN h.balance END, a.mtd_avg, a.qtd_avg, a.ytd_avg
            FROM agg a JOIN h ON h.system = a.system AND h.account_no = a.account_no
                              AND h.business_date = a.last_date""",
            params,
        )
        tx.execute(
            """INSERT INTO s_customer_balance (customer_id, as_of, deposits, aum, liabilities, deposits_mtd_avg,
                   deposits_qtd_avg, deposits_ytd_avg, accounts)
            SELECT l.customer_id, :d,
                   coalesce(sum(b.balance) FILTER (WHERE b.kind = 'deposit'), 0),
                   coalesce(sum(b.balance) FILTER (WHERE b.kind IN ('deposit', 'wealth')), 0),
                   coalesce(sum(b.balance) FILTER (WHERE b.kind IN ('loan', 'card_debt')), 0),
                   coalesce(sum(b.mtd_avg) FILTER (WHERE b.kind = 'deposit'), 0),
                   coalesce(sum(b.qtd_avg) FILTER (WHERE b.kind = 'deposit'), 0),
                   coalesce(sum(b.ytd_avg) FILTER (WHERE b.kind = 'deposit'), 0),
                   count(*)
            FROM s_account_balance b JOIN d_account_link l ON l.system = b.system AND l.account_no = b.account_no
            GROUP BY l.customer_id""",
            {"d": d},
        )
    return int(wh.scalar("SELECT count(*) FROM s_account_balance"))
