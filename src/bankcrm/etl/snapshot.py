"""The serving snapshot (ETL item 7): after each published date, per account and per customer, the
latest balance and the daily averages (日均余额) for the month, quarter and year to date, kept ready
so that the UI reads them in milliseconds instead of scanning history per request.

Daily average = the sum of the day-end balances of the period's loaded business dates up to the date,
divided by their number. Balances are the feeds' own: deposits (savings, corporate), loans (corporate,
personal), card debt, wealth and fund holdings, housing fund.
"""

from __future__ import annotations

from datetime import date, timedelta

import pyarrow as pa  # type: ignore[import-untyped]
from sqlalchemy import select
from sqlalchemy.orm import Session

from bankcrm.customers.models import AccountLink, Customer
from bankcrm.etl.loader import parse_business_date
from bankcrm.warehouse import Query, Warehouse

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

# Detail columns the customer 360 view shows, per system (absent ones are NULL).
DETAILS: dict[str, dict[str, str]] = {
    "sav": {
        "currency": "currency",
        "open_date": "open_date",
        "maturity_date": "maturity_date",
        "rate": "rate",
        "term_months": "term_months",
        "status": "status",
    },
    "corp": {
        "currency": "currency",
        "open_date": "open_date",
        "maturity_date": "maturity_date",
        "rate": "rate",
        "status": "status",
    },
    "crd": {
        "open_date": "start_date",
        "maturity_date": "maturity_date",
        "rate": "rate",
        "amount": "contract_amount",
        "five_class": "five_class",
        "overdue_days": "overdue_days",
        "overdue_amount": "overdue_amount",
    },
    "pl": {
        "open_date": "start_date",
        "maturity_date": "maturity_date",
        "rate": "rate",
        "amount": "loan_amount",
        "five_class": "five_class",
        "overdue_days": "overdue_days",
        "overdue_amount": "overdue_amount",
    },
    "card": {
        "open_date": "open_date",
        "amount": "credit_limit",
        "overdraft_amount": "overdraft_amount",
        "overdue_days": "overdue_days",
        "overdue_amount": "overdue_amount",
        "status": "status",
    },
    "wm": {"open_date": "buy_date", "maturity_date": "maturity_date", "rate": "expected_yield"},
    "hpf": {"open_date": "open_date", "amount": "monthly_deposit", "status": "status"},
}
DETAIL_COLUMNS = {
    "currency": "VARCHAR",
    "open_date": "DATE",
    "maturity_date": "DATE",
    "rate": "DECIMAL(20, 4)",
    "term_months": "BIGINT",
    "amount": "DECIMAL(20, 4)",
    "five_class": "VARCHAR",
    "overdue_days": "BIGINT",
    "overdue_amount": "DECIMAL(20, 4)",
    "overdraft_amount": "DECIMAL(20, 4)",
    "status": "VARCHAR",
}
"""``amount`` is the contract or loan amount (loans), the credit limit (cards) or the monthly deposit
(housing fund); ``rate`` the interest rate or, for wealth products, the expected yield."""

MONEY = "DECIMAL(20, 4)"
# Transactions of deposits and cards: (system, fact table, its account column).
TXN_SOURCES = (
    ("sav", "f_sav_txn", "account_no"),
    ("corp", "f_corp_txn", "account_no"),
    ("card", "f_card_txn", "card_no"),
)
TXN_COLUMNS = ("txn_id", "txn_date", "txn_time", "dc", "amount", "balance_after", "channel", "memo")
SNAPSHOT_TABLES: dict[str, tuple[tuple[tuple[str, str], ...], str]] = {
    # name: ((column, type), ...), primary key
    "d_customer": (
        (
            ("customer_id", "BIGINT NOT NULL"),
            ("customer_no", "VARCHAR NOT NULL"),
            ("name", "VARCHAR NOT NULL"),
            ("type", "VARCHAR NOT NULL"),
            ("org_id", "BIGINT NOT NULL"),
            ("tier", "VARCHAR"),
        ),
        "customer_id",
    ),
    "d_account_link": (
        (("system", "VARCHAR NOT NULL"), ("account_no", "VARCHAR NOT NULL"), ("customer_id", "BIGINT NOT NULL")),
        "system, account_no",
    ),
    "s_account_balance": (
        (
            ("system", "VARCHAR NOT NULL"),
            ("account_no", "VARCHAR NOT NULL"),
            ("customer_id", "BIGINT"),
            ("kind", "VARCHAR NOT NULL"),
            ("as_of", "DATE NOT NULL"),
            ("product", "VARCHAR"),
            ("org_code", "VARCHAR"),
            ("open_on_date", "BOOLEAN"),
            ("balance", MONEY),
            ("mtd_avg", MONEY),
            ("qtd_avg", MONEY),
            ("ytd_avg", MONEY),
            *DETAIL_COLUMNS.items(),
        ),
        "",
    ),
    "s_customer_balance": (
        (
            ("customer_id", "BIGINT NOT NULL"),
            ("as_of", "DATE NOT NULL"),
            *((n, MONEY + " NOT NULL") for n in ("deposits", "wealth", "aum", "loans", "card_debt", "liabilities")),
            ("housing_fund", MONEY + " NOT NULL"),
            *((n, MONEY + " NOT NULL") for n in ("deposits_mtd_avg", "deposits_qtd_avg", "deposits_ytd_avg")),
            *((n, MONEY + " NOT NULL") for n in ("aum_mtd_avg", "aum_qtd_avg", "aum_ytd_avg")),
            ("accounts", "BIGINT NOT NULL"),
        ),
        "customer_id",
    ),
    "s_customer_daily": (
        (
            ("customer_id", "BIGINT NOT NULL"),
            ("business_date", "DATE NOT NULL"),
            *((n, MONEY + " NOT NULL") for n in ("deposits", "wealth", "loans", "card_debt", "housing_fund")),
        ),
        "",
    ),
    # The recent window of transactions (parameter customer.recent_txn_days) with their owner, in
    # customer order: the 360 view's transaction list reads one customer's rows, not the window's facts.
    "s_recent_txn": (
        (
            ("customer_id", "BIGINT NOT NULL"),
            ("system", "VARCHAR NOT NULL"),
            ("account_no", "VARCHAR NOT NULL"),
            ("business_date", "DATE NOT NULL"),
            ("txn_id", "VARCHAR"),
            ("txn_date", "DATE"),
            ("txn_time", "VARCHAR"),
            ("dc", "VARCHAR"),
            ("amount", MONEY),
            ("balance_after", MONEY),
            ("channel", "VARCHAR"),
            ("memo", "VARCHAR"),
        ),
        "",
    ),
}
INDEXES = tuple(
    Query(f"snapshot.index.{name}", ddl, engines={"postgres"})  # DuckDB prunes by its zone maps instead
    for name, ddl in (
        (
            "s_account_balance",
            "CREATE INDEX IF NOT EXISTS ix_s_account_balance_customer ON s_account_balance (customer_id)",
        ),
        ("d_account_link", "CREATE INDEX IF NOT EXISTS ix_d_account_link_customer ON d_account_link (customer_id)"),
        (
            "s_customer_daily",
            "CREATE INDEX IF NOT EXISTS ix_s_customer_daily_customer ON s_customer_daily (customer_id, business_date)",
        ),
        (
            "s_recent_txn",
            "CREATE INDEX IF NOT EXISTS ix_s_recent_txn_customer ON s_recent_txn (customer_id, business_date)",
        ),
    )
)
TABLE_COLUMNS = Query(
    "snapshot.table_columns",
    "SELECT column_name FROM information_schema.columns WHERE table_name = :t "
    "AND table_schema = current_schema() ORDER BY ordinal_position",
)
CREATE = {
    name: Query(
        f"snapshot.create.{name}",
        f"CREATE TABLE IF NOT EXISTS {name} ("
        + ", ".join(f"{c} {t}" for c, t in columns)
        + (f", PRIMARY KEY ({key})" if key else "")
        + ")",
    )
    for name, (columns, key) in SNAPSHOT_TABLES.items()
}
DROP = {name: Query(f"snapshot.drop.{name}", f"DROP TABLE {name}") for name in SNAPSHOT_TABLES}
CLEAR = {name: Query(f"snapshot.clear.{name}", f"DELETE FROM {name}") for name in SNAPSHOT_TABLES}


def ensure_schema(wh: Warehouse) -> None:
    """Create the serving tables; a derived table whose columns differ from this version's is dropped
    and rebuilt (it is recomputed from the facts at every load)."""
    for name, (columns, _) in SNAPSHOT_TABLES.items():
        have = [r[0] for r in wh.query(TABLE_COLUMNS, {"t": name})]
        if have and have != [c for c, _ in columns]:
            wh.execute(DROP[name])
        wh.execute(CREATE[name])
    if wh.dialect == "postgres":
        for ddl in INDEXES:
            wh.execute(ddl)


def _period_starts(d: date) -> tuple[date, date, date]:
    quarter_month = 3 * ((d.month - 1) // 3) + 1
    return d.replace(day=1), d.replace(month=quarter_month, day=1), d.replace(month=1, day=1)


def export_links(db: Session, wh: Warehouse) -> int:
    """Copy the account→customer links and the customers' list attributes (number, name, type, org,
    tier) into the warehouse, replaced whole, for customer aggregates and linked queries. Merged
    records are left out."""
    customers = db.execute(
        select(Customer.id, Customer.customer_no, Customer.name, Customer.type, Customer.org_id, Customer.tier)
        .where(Customer.merged_into_id.is_(None))
        .order_by(Customer.id)
    ).all()
    cust_table = pa.table(
        {
            "customer_id": pa.array([r[0] for r in customers], pa.int64()),
            "customer_no": pa.array([r[1] for r in customers], pa.string()),
            "name": pa.array([r[2] for r in customers], pa.string()),
            "type": pa.array([str(r[3]) for r in customers], pa.string()),
            "org_id": pa.array([r[4] for r in customers], pa.int64()),
            "tier": pa.array([r[5] for r in customers], pa.string()),
        }
    )
    # In customer order, as the serving tables (see ``build``): a customer's links lie in one row group.
    rows = db.execute(
        select(AccountLink.system, AccountLink.account_no, AccountLink.customer_id).order_by(AccountLink.customer_id)
    ).all()
    table = pa.table(
        {
            "system": pa.array([r[0] for r in rows], pa.string()),
            "account_no": pa.array([r[1] for r in rows], pa.string()),
            "customer_id": pa.array([r[2] for r in rows], pa.int64()),
        }
    )
    ensure_schema(wh)
    with wh.transaction() as tx:
        tx.execute(CLEAR["d_account_link"])
        tx.copy_rows("d_account_link", ("system", "account_no", "customer_id"), table)
        tx.execute(CLEAR["d_customer"])
        tx.copy_rows("d_customer", tuple(cust_table.column_names), cust_table)
    return len(rows)


def _detail(system: str, name: str) -> str:
    col = DETAILS[system].get(name)
    return f"CAST({col} AS {DETAIL_COLUMNS[name]})" if col else f"CAST(NULL AS {DETAIL_COLUMNS[name]})"


def _sums(prefix: str = "") -> str:
    return ", ".join(
        f"coalesce(sum({prefix}balance) FILTER (WHERE kind = '{k}'), 0)"
        for k in ("deposit", "wealth", "loan", "card_debt", "housing_fund")
    )


_DETAILS = ", ".join(DETAIL_COLUMNS)
_PARTS = [
    f"""SELECT '{system}' AS system, {acct} AS account_no, '{kind}' AS kind,
               business_date, {product} AS product, org_code, {bal} AS balance,
               {", ".join(f"{_detail(system, n)} AS {n}" for n in DETAIL_COLUMNS)}
        FROM {table} WHERE business_date BETWEEN :year AND :d"""
    for system, table, acct, bal, product, kind in SOURCES
]
_DAILY_PARTS = [
    f"""SELECT '{system}' AS system, {acct} AS account_no, '{kind}' AS kind, business_date, {bal} AS balance
        FROM {table} WHERE business_date IN (SELECT business_date FROM todo)"""
    for system, table, acct, bal, _, kind in SOURCES
]
_AUM = "kind IN ('deposit', 'wealth')"
_TXNS = " UNION ALL ".join(
    f"""SELECT l.customer_id, '{system}' AS system, t.{col} AS account_no, t.business_date,
               {", ".join(f"t.{c}" for c in TXN_COLUMNS)}
        FROM {table} t JOIN d_account_link l ON l.system = '{system}' AND l.account_no = t.{col}
        WHERE t.business_date BETWEEN :since AND :d"""
    for system, table, col in TXN_SOURCES
)
# The statements of ``build``, generated once from the tables above (names and kinds from code).
CLEAR_DAILY = Query("snapshot.clear_daily", "DELETE FROM s_customer_daily WHERE business_date = :d")
# Averages per account over the period's loaded dates; product, org, details and balance from the
# account's latest row (balance only when that row is the date itself: the account is open).
BUILD_ACCOUNT_BALANCE = Query(
    "snapshot.build.s_account_balance",
    f"""INSERT INTO s_account_balance (system, account_no, customer_id, kind, as_of, product, org_code,
           open_on_date, balance, mtd_avg, qtd_avg, ytd_avg, {_DETAILS})
    WITH h AS ({" UNION ALL ".join(_PARTS)}),
    agg AS (
        SELECT system, account_no, max(business_date) AS last_date,
               avg(balance) FILTER (WHERE business_date >= :month) AS mtd_avg,
               avg(balance) FILTER (WHERE business_date >= :quarter) AS qtd_avg,
               avg(balance) AS ytd_avg
        FROM h GROUP BY system, account_no)
    SELECT a.system, a.account_no, l.customer_id, h.kind, :d, h.product, h.org_code, a.last_date = :d,
           CASE WHEN a.last_date = :d THEN h.balance END, a.mtd_avg, a.qtd_avg, a.ytd_avg,
           {", ".join(f"h.{n}" for n in DETAIL_COLUMNS)}
    FROM agg a JOIN h ON h.system = a.system AND h.account_no = a.account_no
                      AND h.business_date = a.last_date
    LEFT JOIN d_account_link l ON l.system = a.system AND l.account_no = a.account_no
    ORDER BY l.customer_id, a.system, a.account_no""",
)
BUILD_CUSTOMER_BALANCE = Query(
    "snapshot.build.s_customer_balance",
    f"""INSERT INTO s_customer_balance (customer_id, as_of, deposits, wealth, loans, card_debt, housing_fund,
           aum, liabilities, deposits_mtd_avg, deposits_qtd_avg, deposits_ytd_avg,
           aum_mtd_avg, aum_qtd_avg, aum_ytd_avg, accounts)
    SELECT customer_id, :d, {_sums()},
           coalesce(sum(balance) FILTER (WHERE {_AUM}), 0),
           coalesce(sum(balance) FILTER (WHERE kind IN ('loan', 'card_debt')), 0),
           coalesce(sum(mtd_avg) FILTER (WHERE kind = 'deposit'), 0),
           coalesce(sum(qtd_avg) FILTER (WHERE kind = 'deposit'), 0),
           coalesce(sum(ytd_avg) FILTER (WHERE kind = 'deposit'), 0),
           coalesce(sum(mtd_avg) FILTER (WHERE {_AUM}), 0),
           coalesce(sum(qtd_avg) FILTER (WHERE {_AUM}), 0),
           coalesce(sum(ytd_avg) FILTER (WHERE {_AUM}), 0),
           count(*)
    FROM s_account_balance WHERE customer_id IS NOT NULL GROUP BY customer_id ORDER BY customer_id""",
)
BUILD_CUSTOMER_DAILY = Query(
    "snapshot.build.s_customer_daily",
    f"""INSERT INTO s_customer_daily (customer_id, business_date, deposits, wealth, loans, card_debt,
           housing_fund)
    WITH todo AS (
        SELECT business_date FROM etl_published WHERE business_date <= :d
        EXCEPT SELECT DISTINCT business_date FROM s_customer_daily),
    f AS ({" UNION ALL ".join(_DAILY_PARTS)})
    SELECT l.customer_id, f.business_date, {_sums("f.")}
    FROM f JOIN d_account_link l ON l.system = f.system AND l.account_no = f.account_no
    GROUP BY l.customer_id, f.business_date ORDER BY l.customer_id, f.business_date""",
)
BUILD_RECENT_TXN = Query(
    "snapshot.build.s_recent_txn",
    f"""INSERT INTO s_recent_txn (customer_id, system, account_no, business_date, {", ".join(TXN_COLUMNS)})
    SELECT * FROM ({_TXNS}) x ORDER BY customer_id, business_date""",
)
COUNT_ACCOUNT_BALANCE = Query("snapshot.count_account_balance", "SELECT count(*) FROM s_account_balance")


def build(wh: Warehouse, business_date: str, *, txn_days: int = 90) -> int:
    """Rebuild the serving snapshot as of the date: ``s_account_balance`` (per account, with its owner,
    the latest details and the daily averages), ``s_customer_balance`` (per customer) and the date's
    rows of ``s_customer_daily`` (per customer and business date, for trends; dates published before
    the table existed are filled in too), and ``s_recent_txn`` (the transactions of the last
    ``txn_days`` days with their owner). Returns the number of account rows.

    Rows are written in customer order: DuckDB has no secondary index here, but its per-row-group
    min/max statistics then let the 360 view's ``customer_id = :c`` reads skip all but one row group
    (PostgreSQL has the indexes of ``INDEXES`` and gets the rows of a customer on few pages)."""
    d = parse_business_date(business_date)
    month, quarter, year = _period_starts(d)
    params = {"d": d, "month": month, "quarter": quarter, "year": year}
    ensure_schema(wh)
    with wh.transaction() as tx:
        tx.execute(CLEAR["s_account_balance"])
        tx.execute(CLEAR["s_customer_balance"])
        tx.execute(CLEAR_DAILY, {"d": d})
        tx.execute(BUILD_ACCOUNT_BALANCE, params)
        tx.execute(BUILD_CUSTOMER_BALANCE, {"d": d})
        tx.execute(BUILD_CUSTOMER_DAILY, {"d": d})
        tx.execute(CLEAR["s_recent_txn"])
        tx.execute(BUILD_RECENT_TXN, {"d": d, "since": d - timedelta(days=txn_days - 1)})
    return int(wh.scalar(COUNT_ACCOUNT_BALANCE))
