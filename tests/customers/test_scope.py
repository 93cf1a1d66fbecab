"""Data scope (SEC-2) over customer routes: sibling branches and own-customer managers."""

from __future__ import annotations

import io

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from bankcrm.auth.models import AuditRecord, User
from bankcrm.clock import FrozenClock
from bankcrm.customers.models import CustomerManager

from ..builders import Bank, login, make_user, role


def _ids(client: TestClient) -> set[int]:
    return {c["id"] for c in client.post("/api/customers/search", json={"page_size": 200}).json()["items"]}


def test_sibling_branches_see_only_their_own(client: TestClient, bank: Bank) -> None:
    login(client, "nj_president")
    c = bank.customers
    assert _ids(client) == {c["nj_managed"].id, c["nj_other"].id}
    assert client.get(f"/api/customers/{c['sz'].id}").status_code == 404


def test_customer_manager_sees_own_customers_only(client: TestClient, bank: Bank) -> None:
    login(client, "nj_manager")
    c = bank.customers
    assert _ids(client) == {c["nj_managed"].id}
    assert client.get(f"/api/customers/{c['nj_other'].id}").status_code == 404
    assert client.get(f"/api/customers/{c['nj_managed'].id}").status_code == 200


def test_head_office_sees_all(client: TestClient, bank: Bank) -> None:
    login(client, "admin")
    assert {c.id for c in bank.customers.values()} <= _ids(client)


def test_search_text_is_never_sql(client: TestClient, bank: Bank) -> None:
    login(client, "nj_president")
    for q in ("' OR 1=1 --", "%", "_", "\\", "王五'; DROP TABLE customer; --"):
        r = client.post("/api/customers/search", json={"q": q})
        assert r.status_code == 200 and r.json()["total"] == 0, q
    assert client.post("/api/customers/search", json={"q": "王"}).json()["total"] == 1


def test_two_roles_do_not_lend_each_other_their_scope(
    client: TestClient, bank: Bank, db: Session, clock: FrozenClock
) -> None:
    """Customer manager (own customers; reveal, export) + lobby manager (whole org; view only):
    viewing covers the org, but reveal and export stay with the manager's own customers."""
    make_user(
        db,
        org=bank.nj_sub,
        roles=[role(db, "customer_manager"), role(db, "lobby_manager")],
        username="nj_both",
        now=clock.now(),
    )
    db.add(
        CustomerManager(
            customer_id=bank.customers["nj_managed"].id,
            user_id=db.scalars(select(User.id).where(User.username == "nj_both")).one(),
            share=100,
            start_date=clock.now().date(),
        )
    )
    db.commit()
    login(client, "nj_both")
    c = bank.customers
    assert _ids(client) == {c["nj_managed"].id, c["nj_other"].id}
    body = {"field": "id_no", "purpose": "核实"}
    assert client.post(f"/api/customers/{c['nj_other'].id}/reveal", json=body).status_code == 404
    assert client.post(f"/api/customers/{c['nj_managed'].id}/reveal", json=body).status_code == 200
    ws = load_workbook(io.BytesIO(client.post("/api/customers/export", json={"purpose": "名单"}).content)).active
    assert ws is not None
    assert {r[1] for r in ws.iter_rows(min_row=9, values_only=True)} == {"李四"}


def test_searching_by_number_needs_the_right_to_see_numbers(client: TestClient, bank: Bank, db: Session) -> None:
    phone = bank.customers["nj_other"].phone
    login(client, "nj_president")  # holds customer.reveal
    assert client.post("/api/customers/search", json={"q": phone}).json()["total"] == 2  # both share the number
    assert db.scalars(select(AuditRecord.detail).where(AuditRecord.action == "customer.search")).all() == [
        {"by": "number", "matches": 2}
    ]


def test_without_that_right_numbers_find_nothing(
    client: TestClient, bank: Bank, db: Session, clock: FrozenClock
) -> None:
    make_user(db, org=bank.nj_sub, roles=[role(db, "lobby_manager")], username="nj_lobby", now=clock.now())
    db.commit()
    login(client, "nj_lobby")  # customer.view only: a phone search must not confirm a guess
    assert client.post("/api/customers/search", json={"q": bank.customers["nj_other"].phone}).json()["total"] == 0


# A valid body for each customer route that takes one, so that only the scope can refuse it.
SAMPLE_BODIES = {
    ("PATCH", "/api/customers/{customer_id}"): {"phone": "13900001111"},
    ("POST", "/api/customers/{customer_id}/records"): {
        "kind": "contact",
        "record_date": "2026-01-05",
        "content": "电话回访",
    },
    ("PUT", "/api/customers/{customer_id}/managers"): {
        "managers": [{"user_id": 1, "share": 100}],
        "start_date": "2026-01-05",
    },
    ("POST", "/api/customers/{customer_id}/reveal"): {"field": "phone", "purpose": "核实身份"},
    ("POST", "/api/customers/{customer_id}/links"): {"accounts": [{"system": "sav", "account_no": "622200000001"}]},
    ("POST", "/api/customers/{customer_id}/links/remove"): {
        "accounts": [{"system": "sav", "account_no": "622200000001"}]
    },
}


def _customer_routes(client: TestClient) -> list[tuple[str, str]]:
    from ..api.test_route_sweep import api_routes

    out = []
    for route in api_routes(client.app):  # type: ignore[arg-type]
        if route.path_format.startswith("/api/customers/{customer_id}"):
            out += [(method, route.path_format) for method in sorted(route.methods - {"HEAD"})]
    return out


def test_no_customer_route_answers_about_another_sides_customer(
    client: TestClient, bank: Bank, db: Session, clock: FrozenClock
) -> None:
    """Two sibling branches and a customer manager call every customer route with the other side's
    customer: each answers 403 or 404 and carries none of that customer's data."""
    make_user(db, org=bank.sz, roles=[role(db, "president")], username="sz_president", now=clock.now())
    make_user(db, org=bank.sz, roles=[role(db, "business_dept")], username="sz_dept", now=clock.now())
    make_user(db, org=bank.nj, roles=[role(db, "business_dept")], username="nj_dept", now=clock.now())
    db.commit()
    c = bank.customers
    routes = _customer_routes(client)
    assert len(routes) >= 8, routes
    cases = [
        ("nj_president", c["sz"]),
        ("nj_dept", c["sz"]),
        ("sz_president", c["nj_managed"]),
        ("sz_dept", c["nj_other"]),
        ("nj_manager", c["nj_other"]),
    ]
    for username, other in cases:
        login(client, username)
        for method, path in routes:
            url = path.replace("{customer_id}", str(other.id))
            r = client.request(method, url, json=SAMPLE_BODIES.get((method, path)))
            assert r.status_code in (403, 404), (username, method, path, r.status_code, r.text)
            assert other.name not in r.text and other.customer_no not in r.text
        # Lists, filters and exports never include it either.
        found = client.post("/api/customers/search", json={"q": other.name, "page_size": 200}).json()
        assert found.get("total", 0) == 0
        by_org = client.post("/api/customers/search", json={"org_id": other.org_id, "page_size": 200})
        assert by_org.status_code == 404 or other.id not in {x["id"] for x in by_org.json()["items"]}
        export = client.post(
            "/api/customers/export", json={"q": other.name, "purpose": "核对客户清单", "lang": "zh-CN"}
        )
        # Every case holds data.export: the export answers, and with no row of the other side's customer.
        assert export.status_code == 200, (username, export.status_code, export.text)
        sheet = load_workbook(io.BytesIO(export.content)).active
        assert sheet is not None
        assert list(sheet.iter_rows(min_row=9, values_only=True)) == [], username
        cells = {str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None}
        assert other.name not in cells and other.customer_no not in cells
