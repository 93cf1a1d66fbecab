"""System parameters are typed and validated; code tables are maintained with audit."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from bankcrm.auth.models import AuditRecord
from bankcrm.errors import BadRequest
from bankcrm.system import params

from ..builders import Bank, login


@pytest.mark.parametrize(
    ("key", "value", "ok"),
    [
        ("session.idle_timeout_minutes", 15, True),
        ("session.idle_timeout_minutes", 0, False),
        ("session.idle_timeout_minutes", 10_000, False),
        ("session.idle_timeout_minutes", "15", False),
        ("session.idle_timeout_minutes", True, False),
        ("audit.view_customer_detail", False, True),
        ("audit.view_customer_detail", 1, False),
        ("ui.default_language", "en-US", True),
        ("ui.default_language", "fr-FR", False),
        ("bank.name", "江苏示范银行", True),
        ("bank.name", "", False),
        ("bank.name", "x" * 101, False),
    ],
)
def test_validation(key: str, value: object, ok: bool) -> None:
    d = params.definition(key)
    if ok:
        assert params.validate(d, value) == value
    else:
        with pytest.raises(BadRequest):
            params.validate(d, value)


def test_change_through_api_is_audited(client: TestClient, bank: Bank, db: Session) -> None:
    login(client, "admin")
    r = client.put("/api/system/parameters/login.max_failures", json={"value": 6})
    assert r.status_code == 200
    row = next(p for p in r.json() if p["key"] == "login.max_failures")
    assert row["value"] == 6 and row["updated_by"] == "admin"
    rec = db.scalars(select(AuditRecord).where(AuditRecord.action == "param.change")).one()
    assert rec.detail == {"from": 5, "to": 6}


def test_bad_values_change_nothing(client: TestClient, bank: Bank) -> None:
    login(client, "admin")
    r = client.put("/api/system/parameters/login.max_failures", json={"value": 1})
    assert r.status_code == 400 and r.json()["code"] == "invalid_parameter"
    assert client.put("/api/system/parameters/no.such", json={"value": 1}).status_code == 404
    assert client.put("/api/system/parameters/login.max_failures", json={"value": 6, "x": 1}).status_code == 422
    current = {p["key"]: p["value"] for p in client.get("/api/system/parameters").json()}
    assert current["login.max_failures"] == 5


def test_only_param_edit_may_change(client: TestClient, bank: Bank) -> None:
    login(client, "auditor")
    assert client.get("/api/system/parameters").status_code == 200
    assert client.put("/api/system/parameters/login.max_failures", json={"value": 6}).status_code == 403


def test_code_tables(client: TestClient, bank: Bank) -> None:
    login(client, "admin")
    tables = {t["code"] for t in client.get("/api/system/code-tables").json()}
    assert {"currency", "id_type", "industry", "channel", "product"} <= tables
    items = client.get("/api/system/code-tables/currency/items").json()
    assert {"code": "CNY", "label_zh": "人民币", "label_en": "Chinese yuan"}.items() <= items[0].items()
    r = client.post(
        "/api/system/code-tables/currency/items",
        json={"code": "SGD", "label_zh": "新加坡元", "label_en": "Singapore dollar", "sort": 99},
    )
    assert r.status_code == 201
    assert (
        client.post(
            "/api/system/code-tables/currency/items", json={"code": "SGD", "label_zh": "x", "label_en": "x"}
        ).status_code
        == 409
    )
    r = client.patch("/api/system/code-tables/currency/items/SGD", json={"active": False})
    assert r.json()["active"] is False
    assert client.get("/api/system/code-tables/nope/items").status_code == 404
    login(client, "nj_admin")
    assert (
        client.post(
            "/api/system/code-tables/currency/items", json={"code": "THB", "label_zh": "泰铢", "label_en": "Baht"}
        ).status_code
        == 403
    )
