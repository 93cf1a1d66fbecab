"""The API does what its document says: strict validation, declared error statuses, ``Allow`` on
405, the document itself behind sign-in (``api.app.openapi_document``, ``schemas``)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from bankcrm.api.app import CONTENT_SECURITY_POLICY

from ..builders import Bank, login


def test_lax_coercions_the_document_forbids_are_refused(client: TestClient, bank: Bank) -> None:
    login(client, "admin")
    c = bank.customers["nj_managed"]
    for body in ({"mine": 0}, {"mine": "true"}, {"org_id": "1"}, {"page": True}, {"org_id": 1.5}):
        r = client.post("/api/customers/search", json=body)
        assert r.status_code == 422 and r.json()["code"] == "validation_error", body
    assert (
        client.post("/api/customers/search", json={"org_id": float(bank.head.id)}).status_code == 200
    )  # 1.0 is an integer
    for query in ("date_to=0", "date_from=2026-1-1", "date_to=9999-12-31", "page=1.0", "page=1_0"):
        assert client.get(f"/api/audit?{query}").status_code == 422, query
    assert client.get("/api/etl/org-mappings?unmapped_only=1").status_code == 422
    assert client.get("/api/etl/org-mappings?unmapped_only=true").status_code == 200
    manager = bank.users["nj_manager"].id
    for start in (0, 20260101, "20260101"):
        body = {"managers": [{"user_id": manager, "share": 100}], "start_date": start}
        assert client.put(f"/api/customers/{c.id}/managers", json=body).status_code == 422, start


def test_an_empty_manager_list_is_refused_and_ends_nobody(client: TestClient, bank: Bank) -> None:
    login(client, "admin")
    c = bank.customers["nj_managed"]
    before = client.get(f"/api/customers/{c.id}/overview").json()["managers"]
    r = client.put(f"/api/customers/{c.id}/managers", json={"managers": [], "start_date": "2026-01-05"})
    assert r.status_code == 422 and r.json()["details"][0]["loc"] == ["body", "managers"]
    assert client.get(f"/api/customers/{c.id}/overview").json()["managers"] == before


def test_405_names_every_method_of_the_path(client: TestClient, bank: Bank) -> None:
    login(client, "admin")
    user = bank.users["nj_manager"].id
    r = client.request("TRACE", f"/api/users/{user}")
    assert r.status_code == 405 and r.json()["code"] == "method_not_allowed"
    assert {m.strip() for m in r.headers["allow"].split(",")} >= {"GET", "PATCH"}
    # A word where an id belongs is no id: /api/users/export is its own path (POST only).
    r = client.patch("/api/users/export", json={})
    assert r.status_code == 405 and r.headers["allow"] == "POST"


def test_every_operation_declares_its_errors_with_the_error_body(client: TestClient, bank: Bank) -> None:
    login(client, "admin")
    doc = client.get("/openapi.json").json()
    assert "HTTPValidationError" not in doc["components"]["schemas"]
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            codes = {int(s) for s in op["responses"] if s.isdigit() and int(s) >= 400}
            for status in codes:
                ref = op["responses"][str(status)]["content"]["application/json"]["schema"]["$ref"]
                assert ref.endswith("/ErrorOut"), (method, path, status)
            if path.startswith("/api/") and path != "/api/auth/login":
                assert 401 in codes, (method, path)
            if method in ("post", "put", "patch", "delete"):
                assert {400, 403} <= codes, (method, path)
            if "{" in path:
                assert 404 in codes, (method, path)
    login_codes = set(doc["paths"]["/api/auth/login"]["post"]["responses"])
    assert {"401", "422", "423"} <= login_codes


def test_the_document_is_for_signed_in_users_and_has_no_cdn_page(client: TestClient, bank: Bank) -> None:
    assert client.get("/openapi.json").status_code == 401
    assert client.get("/docs").status_code == 404
    assert client.get("/redoc").status_code == 404
    login(client, "nj_manager")  # any signed-in user
    r = client.get("/openapi.json")
    assert r.status_code == 200 and r.json()["info"]["title"] == "bankcrm"


def test_every_answer_carries_a_strict_content_security_policy(client: TestClient, bank: Bank) -> None:
    for r in (client.get("/healthz"), client.get("/api/auth/me"), client.get("/nothing-here")):
        csp = r.headers["content-security-policy"]
        assert csp == CONTENT_SECURITY_POLICY
        assert "script-src 'self'" in csp and "unsafe-eval" not in csp and "frame-ancestors 'none'" in csp
        assert "server" not in r.headers
