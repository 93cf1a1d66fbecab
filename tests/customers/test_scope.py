"""Data scope (SEC-2) over customer routes: sibling branches and own-customer managers."""

from __future__ import annotations

from fastapi.testclient import TestClient

from ..builders import Bank, login


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
