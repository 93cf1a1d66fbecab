"""Linked queries (QRY-1..QRY-4, QRY-6) on a generated bank loaded through the real ETL."""

from __future__ import annotations

import io
from decimal import Decimal

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from bankcrm.auth.models import AuditRecord
from bankcrm.clock import FrozenClock
from bankcrm.orgs.models import Org, OrgLevel
from bankcrm.warehouse import Warehouse

from ..builders import login, make_user, role
from ..customers.test_overview import loaded  # noqa: F401  (the fixture)


def _rows(client: TestClient, path: str, **body: object) -> list[dict[str, object]]:
    r = client.post(f"/api/query/{path}", json={"page_size": 200, **body})
    assert r.status_code == 200, r.text
    items: list[dict[str, object]] = r.json()["items"]
    return items


def test_personal_account_query_combines_conditions(loaded: Warehouse, client: TestClient) -> None:  # noqa: F811
    login(client, "hq")
    cards = _rows(client, "personal-accounts", systems=["card"])
    assert cards and {r["system"] for r in cards} == {"card"}
    mixed = _rows(client, "personal-accounts", systems=["sav", "pl"], balance_min="1000", balance_max="500000")
    assert {r["system"] for r in mixed} <= {"sav", "pl"}
    assert all(Decimal("1000") <= Decimal(str(r["balance"])) <= Decimal("500000") for r in mixed)
    some = mixed[0]
    by_name = _rows(client, "personal-accounts", systems=["sav", "pl"], name=str(some["customer_name"])[:2])
    assert all(str(some["customer_name"])[:2] in str(r["customer_name"]) for r in by_name)
    raw = loaded.scalar("SELECT account_no FROM s_account_balance WHERE system = 'card' AND open_on_date LIMIT 1")
    one = _rows(client, "personal-accounts", systems=["card"], account_no=raw)
    assert len(one) == 1
    overdue = _rows(client, "personal-accounts", systems=["pl", "card"], overdue_only=True)
    assert all(int(str(r["overdue_days"])) > 0 for r in overdue)
    ordered = _rows(client, "personal-accounts", systems=["sav"], sort="balance", order="desc")
    balances = [Decimal(str(r["balance"])) for r in ordered]
    assert balances == sorted(balances, reverse=True)


def test_bad_conditions_are_refused(loaded: Warehouse, client: TestClient, db: Session, clock: FrozenClock) -> None:  # noqa: F811
    login(client, "hq")
    bad = [
        {"systems": ["crd"]},  # corporate credit is not a personal system
        {"systems": []},
        {"sort": "name; DROP TABLE x"},
        {"page_size": 100000},
        {"five_class": ["9"]},
        {"extra": 1},
        {"balance_min": True},
        {"open_from": 0},
    ]
    for body in bad:
        assert client.post("/api/query/personal-accounts", json=body).status_code == 422, body
    # Each condition valid, together contradictory: 400 (422 is for what the API document forbids).
    for body in ({"open_from": "2026-02-01", "open_to": "2026-01-01"}, {"balance_min": "10", "balance_max": "1"}):
        r = client.post("/api/query/personal-accounts", json=body)
        assert r.status_code == 400 and r.json()["code"] == "inconsistent_request", body
    root = db.scalars(select(Org).where(Org.parent_id.is_(None))).one()
    make_user(db, org=root, roles=[role(db, "analyst")], username="analyst", now=clock.now())
    db.commit()
    login(client, "analyst")  # may view, may not reveal: no search by number
    r = client.post("/api/query/personal-accounts", json={"account_no": "6225000000000001"})
    assert r.status_code == 403 and r.json()["code"] == "sensitive_search"


def test_a_branch_sees_only_its_own_customers_accounts(
    loaded: Warehouse,  # noqa: F811
    client: TestClient,
    db: Session,
    clock: FrozenClock,
) -> None:
    cities = db.scalars(select(Org).where(Org.level == OrgLevel.city).order_by(Org.code)).all()
    mine, other = cities[0], cities[1]
    make_user(db, org=mine, roles=[role(db, "president")], username="city_pres", now=clock.now())
    db.commit()
    login(client, "city_pres")
    rows = _rows(client, "personal-accounts")
    allowed = {
        int(r[0])
        for r in loaded.query(
            "SELECT c.customer_id FROM d_customer c WHERE c.org_id IN ("
            + ",".join(str(o.id) for o in db.scalars(select(Org).where(Org.path.startswith(mine.path))))
            + ")"
        )
    }
    assert rows and {r["customer_id"] for r in rows} <= allowed
    assert client.post("/api/query/personal-accounts", json={"org_id": other.id}).status_code == 404
    tops = client.post("/api/query/top-corporate", json={"n": 50}).json()
    assert {t["customer_id"] for t in tops} <= allowed


def test_passbooks_corporate_and_top_ten(loaded: Warehouse, client: TestClient) -> None:  # noqa: F811
    login(client, "hq")
    books = _rows(client, "passbooks", balance_min="0")
    assert books and {r["product"] for r in books} == {"SAV_YZT"}
    corp = _rows(client, "corporate")
    assert corp and {r["system"] for r in corp} <= {"corp", "crd"}
    loans = _rows(client, "corporate", product="CORP_LOAN")
    assert loans and {r["product"] for r in loans} == {"CORP_LOAN"}
    top = client.post("/api/query/top-corporate", json={"by": "deposits", "n": 10}).json()
    assert 0 < len(top) <= 10 and [t["rank"] for t in top] == list(range(1, len(top) + 1))
    deposits = [Decimal(t["deposits"]) for t in top]
    assert deposits == sorted(deposits, reverse=True)
    expected = loaded.query(
        """SELECT c.customer_id, sum(b.balance) AS d FROM s_account_balance b JOIN d_customer c
           ON c.customer_id = b.customer_id WHERE c.type = 'corporate' AND b.kind = 'deposit' AND b.open_on_date
           GROUP BY c.customer_id ORDER BY d DESC, c.customer_id LIMIT 1"""
    )
    assert top[0]["customer_id"] == expected[0][0] and Decimal(top[0]["deposits"]) == expected[0][1]
    npl = client.post("/api/query/top-corporate", json={"by": "npl", "n": 10}).json()
    assert all(Decimal(t["npl"]) > 0 for t in npl)
    assert client.post("/api/query/top-corporate", json={"n": 0}).status_code == 422
    assert client.post("/api/query/top-corporate", json={"by": "profit"}).status_code == 422


def test_query_exports_are_masked_capped_and_audited(
    loaded: Warehouse,  # noqa: F811
    client: TestClient,
    db: Session,
    clock: FrozenClock,
) -> None:
    root = db.scalars(select(Org).where(Org.parent_id.is_(None))).one()
    make_user(db, org=root, roles=[role(db, "business_dept")], username="dept", now=clock.now())
    db.commit()
    login(client, "dept")
    body = {"systems": ["card"], "purpose": "信用卡客户回访", "lang": "zh-CN"}
    r = client.post("/api/query/personal-accounts/export", json=body)
    assert r.status_code == 200, r.text
    sheet = load_workbook(io.BytesIO(r.content)).active
    assert sheet is not None
    values = [str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None]
    cards = [v for v in values if v.startswith("6225")]
    assert cards and all("*" in v for v in cards)  # masked without the unmask right
    assert "dept" in " ".join(values)  # who exported is in the file
    audit = db.scalars(select(AuditRecord).where(AuditRecord.action == "data.export")).all()
    assert audit and audit[-1].detail.get("rows") == len(_rows(client, "personal-accounts", systems=["card"]))
    assert client.post("/api/query/personal-accounts/export", json={"systems": ["card"]}).status_code == 422
    top = client.post("/api/query/top-corporate/export", json={"n": 10, "purpose": "十大客户", "lang": "en-US"})
    assert top.status_code == 200


def test_query_export_is_a_report(
    loaded: Warehouse,  # noqa: F811
    client: TestClient,
    db: Session,
    clock: FrozenClock,
) -> None:
    """QRY-6 / STA-4: the screen's columns with labels, amounts as formatted numbers with a total,
    dates as dates, the time in Beijing, a file name in the export's language."""
    from datetime import date, timedelta, timezone
    from urllib.parse import unquote

    from ..builders import make_role

    root = db.scalars(select(Org).where(Org.parent_id.is_(None))).one()
    codes = {"customer.view", "data.export", "customer.amount.view"}
    make_user(db, org=root, roles=[make_role(db, codes=codes)], username="reporter", now=clock.now())
    db.commit()
    login(client, "reporter")
    r = client.post(
        "/api/query/personal-accounts/export", json={"systems": ["pl"], "purpose": "贷款回访", "lang": "zh-CN"}
    )
    assert r.status_code == 200, r.text
    disposition = r.headers["content-disposition"]
    beijing = clock.now().astimezone(timezone(timedelta(hours=8)))
    stamp = f"{beijing:%Y%m%d-%H%M%S}"
    assert f'filename="query.personal-{stamp}.xlsx"' in disposition  # the ASCII fallback
    star = disposition.split("filename*=UTF-8''")[1]
    assert unquote(star) == f"个人账户联动查询-{stamp}.xlsx"
    ws = load_workbook(io.BytesIO(r.content)).active
    assert ws is not None
    rows = [list(row) for row in ws.iter_rows()]
    meta = {row[0].value: row[1].value for row in rows[:6] if row and row[0].value}
    assert meta["导出时间（北京时间）"] == f"{beijing:%Y-%m-%d %H:%M:%S}"
    header = [c.value for c in rows[7]]
    assert len(header) == 16 and header[0] == "系统" and "利率" in header and "状态" in header
    data, total = rows[8:-1], rows[-1]
    assert data and total[0].value == "合计"
    col = {h: i for i, h in enumerate(header)}
    balances = [row[col["余额（元）"]] for row in data]
    assert all(c.data_type == "n" and c.number_format == "#,##0.00" for c in balances)
    assert Decimal(str(total[col["余额（元）"]].value)) == sum(Decimal(str(c.value)) for c in balances)
    assert all(row[col["系统"]].value == "个人贷款" for row in data)  # a label, not `pl`
    assert {row[col["五级分类"]].value for row in data} <= {"正常", "关注", "次级", "可疑", "损失", None}
    assert all(isinstance(row[col["开户日"]].value, (date, type(None))) for row in data)
    assert total[col["开户日"]].value is None

    # Without the amount right the amounts are bands: text, not summed.
    make_user(
        db, org=root, roles=[make_role(db, codes=codes - {"customer.amount.view"})], username="dept2", now=clock.now()
    )
    db.commit()
    login(client, "dept2")
    r = client.post(
        "/api/query/personal-accounts/export", json={"systems": ["pl"], "purpose": "贷款回访", "lang": "en-US"}
    )
    assert r.status_code == 200, r.text
    assert unquote(r.headers["content-disposition"].split("filename*=UTF-8''")[1]).startswith("Personal")
    ws = load_workbook(io.BytesIO(r.content)).active
    assert ws is not None
    rows = [list(row) for row in ws.iter_rows()]
    header = [c.value for c in rows[7]]
    bal = header.index("Balance (yuan)")
    amounts = [row[bal] for row in rows[8:-1]]
    banded = all(c.data_type == "s" for c in amounts)
    assert banded or all(c.data_type == "n" for c in amounts)
    assert rows[-1][0].value == "Total"
    assert (rows[-1][bal].value is None) == banded
