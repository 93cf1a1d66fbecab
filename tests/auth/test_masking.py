"""Masking (SEC-3): sensitive fields are declared once and masked in every response by default."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from bankcrm.api.app import create_app
from bankcrm.auth.masking import (
    SENSITIVE_FIELD_NAMES,
    mask_account_number,
    mask_address,
    mask_id_number,
    mask_phone,
)
from bankcrm.auth.models import AuditRecord

from ..builders import Bank, login, make_role, make_user
from ..customers.test_overview import loaded  # noqa: F401  (the fixture)

FULL_ID = re.compile(r"(?<![\dA-Z*])\d{17}[\dX](?![\dA-Z])|(?<!\d)\d{15}(?!\d)")
FULL_PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def test_mask_formats() -> None:
    assert mask_id_number("110101199003071234") == "110***********1234"
    assert mask_phone("13812341234") == "138****1234"
    assert mask_account_number("6222021234567890123") == "622202*********0123"
    assert mask_address("江苏省南京市鼓楼区湖南路1号") == "江苏省南京市********"
    assert mask_id_number("123") == "***"
    # Short values keep at most half of their characters.
    assert mask_id_number("E12345678") == "E1*****78"
    assert mask_phone("84561234") == "84****34"
    assert mask_account_number("1234567890") == "12******90"


def test_every_sensitive_named_field_in_the_api_is_declared_sensitive() -> None:
    doc = create_app().openapi()
    offenders = []
    for name, schema in doc["components"]["schemas"].items():
        for prop, spec in schema.get("properties", {}).items():
            if prop not in SENSITIVE_FIELD_NAMES:
                continue
            variants = spec.get("anyOf", [spec])
            if not any("x-sensitive" in v for v in variants):
                offenders.append(f"{name}.{prop}")
    assert not offenders, offenders


def _strings(obj: Any) -> list[str]:
    if isinstance(obj, dict):
        return [s for v in obj.values() for s in _strings(v)]
    if isinstance(obj, list):
        return [s for v in obj for s in _strings(v)]
    return [obj] if isinstance(obj, str) else []


@pytest.fixture
def viewer(client: TestClient, bank: Bank) -> TestClient:
    login(client, "nj_president")  # customer.view, no customer.unmask
    return client


def test_customer_responses_carry_no_full_id_or_phone(viewer: TestClient, bank: Bank) -> None:
    bodies = [viewer.post("/api/customers/search", json={}).json()]
    for c in bank.customers.values():
        bodies.append(viewer.get(f"/api/customers/{c.id}").json())
    texts = [s for b in bodies for s in _strings(b)]
    assert texts
    assert not [t for t in texts if FULL_ID.search(t) or FULL_PHONE.search(t)]
    detail = viewer.get(f"/api/customers/{bank.customers['nj_other'].id}").json()
    assert detail["id_no"].startswith("320") and "*" in detail["id_no"]
    assert detail["phone"] == "138****5678"
    assert "*" in detail["address"]


def test_unmask_right_shows_clear_values(client: TestClient, bank: Bank, db: Session, clock) -> None:  # type: ignore[no-untyped-def]
    r = make_role(db, codes={"customer.view", "customer.unmask"})
    make_user(db, org=bank.nj, roles=[r], username="nj_unmask", now=clock.now())
    db.commit()
    login(client, "nj_unmask")
    c = bank.customers["nj_other"]
    assert client.get(f"/api/customers/{c.id}").json()["id_no"] == c.id_no


def test_reveal_needs_the_right_and_a_purpose_and_is_audited(
    client: TestClient,
    bank: Bank,
    db: Session,
    clock,  # type: ignore[no-untyped-def]
) -> None:
    c = bank.customers["nj_other"]
    login(client, "auditor")
    assert (
        client.post(f"/api/customers/{c.id}/reveal", json={"field": "id_no", "purpose": "核实身份"}).status_code == 403
    )
    r = make_role(db, codes={"customer.view", "customer.reveal"})
    make_user(db, org=bank.nj, roles=[r], username="nj_unmask2", now=clock.now())
    db.commit()
    login(client, "nj_unmask2")
    assert client.post(f"/api/customers/{c.id}/reveal", json={"field": "id_no"}).status_code == 422
    assert client.post(f"/api/customers/{c.id}/reveal", json={"field": "password", "purpose": "xx"}).status_code == 422
    ok = client.post(f"/api/customers/{c.id}/reveal", json={"field": "id_no", "purpose": "核实身份"})
    assert ok.status_code == 200 and ok.json()["value"] == c.id_no
    rec = db.scalars(select(AuditRecord).where(AuditRecord.action == "customer.reveal")).one()
    assert rec.detail == {"field": "id_no", "purpose": "核实身份"} and rec.target_id == str(c.id)
    # Another branch's customer cannot be revealed.
    sz = bank.customers["sz"]
    assert (
        client.post(f"/api/customers/{sz.id}/reveal", json={"field": "id_no", "purpose": "核实身份"}).status_code == 404
    )


def test_customer_detail_view_is_audited(viewer: TestClient, bank: Bank, db: Session) -> None:
    c = bank.customers["nj_other"]
    viewer.get(f"/api/customers/{c.id}")
    assert db.scalars(select(AuditRecord.target_id).where(AuditRecord.action == "customer.view")).all() == [str(c.id)]


def test_response_models_mask_by_default_outside_any_request() -> None:
    from bankcrm.customers.schemas import CustomerDetailOut

    c = CustomerDetailOut(
        id=1,
        customer_no="C1",
        type="personal",
        name="张三",
        id_type="101",
        id_no="110101199003071234",
        phone="13812341234",
        org_id=1,
        org_name="x",
        address="江苏省南京市鼓楼区湖南路1号",
    )
    dumped = c.model_dump_json()
    assert "110101199003071234" not in dumped and "13812341234" not in dumped and "湖南路" not in dumped


# --- Amounts (SEC-3, decision 0017): a customer's figures are bands for roles without the right. ---


def test_amount_bands() -> None:
    from decimal import Decimal

    from bankcrm.auth.masking import band_text, is_band_edge

    zh = {
        "0": "<1万",
        "9999.99": "<1万",
        "10000": "1万–5万",
        "123456.78": "10万–50万",
        "999999.99": "50万–100万",
        "1000000": "100万–500万",
        "9999999": "500万–1000万",
        "10000000": "≥1000万",
        "-250000": "-(10万–50万)",
        "-5": "-(<1万)",
    }
    assert {v: band_text(v) for v in zh} == zh
    assert band_text("123456.78", "en-US") == "100k–500k" and band_text("-20000000", "en-US") == "-(≥10M)"
    assert band_text(Decimal("5000000"), "en-US") == "5M–10M"
    assert is_band_edge(Decimal("100000.00")) and is_band_edge(-50000) and is_band_edge(0)
    assert not is_band_edge(Decimal("100000.01")) and not is_band_edge(123)


def test_every_amount_named_field_in_the_api_is_banded() -> None:
    from bankcrm.auth.masking import AMOUNT_FIELD_NAMES

    doc = create_app().openapi()
    offenders, seen = [], 0
    for name, schema in doc["components"]["schemas"].items():
        if name.endswith("In") or "Query" in name:
            continue  # request bodies (search bounds) are not responses
        for prop, spec in schema.get("properties", {}).items():
            if prop not in AMOUNT_FIELD_NAMES:
                continue
            seen += 1
            variants = [spec, *spec.get("anyOf", [])]
            if not any(v.get("x-sensitive") == "amount" for v in variants):
                offenders.append(f"{name}.{prop}")
    assert seen > 20 and not offenders, offenders


def _amounts_of_the_bank(wh: Any) -> set[str]:
    """Every per-account and per-customer figure of the loaded bank as the API would write it."""
    rows = wh.query("SELECT balance, mtd_avg, qtd_avg, ytd_avg, amount FROM s_account_balance")
    rows += wh.query("SELECT deposits, wealth, aum, loans, deposits_mtd_avg, aum_ytd_avg FROM s_customer_balance")
    rows += wh.query("SELECT amount, balance_after FROM s_recent_txn")
    return {str(v) for r in rows for v in r if v is not None and abs(v) >= 100}


def _band_values(obj: Any) -> list[Any]:
    """The values under amount-named keys anywhere in a JSON body."""
    from bankcrm.auth.masking import AMOUNT_FIELD_NAMES

    if isinstance(obj, list):
        return [x for v in obj for x in _band_values(v)]
    if isinstance(obj, dict):
        out = [v for k, v in obj.items() if k in AMOUNT_FIELD_NAMES and v is not None]
        return out + [x for k, v in obj.items() if k not in AMOUNT_FIELD_NAMES for x in _band_values(v)]
    return []


def test_a_role_without_the_amount_right_sees_bands_everywhere(
    loaded: Any,  # noqa: F811
    client: TestClient,
    db: Session,
    clock: Any,
) -> None:
    """The sweep: 360, transactions, the linked queries and their exports show no figure of a customer as a
    number to a role without ``customer.amount.view``; with it, the numbers."""
    import io
    from decimal import Decimal

    from openpyxl import load_workbook

    from bankcrm.orgs.models import Org

    from ..builders import role

    wh = loaded
    root = db.scalars(select(Org).where(Org.parent_id.is_(None))).one()
    make_user(db, org=root, roles=[role(db, "analyst")], username="analyst", now=clock.now())
    db.commit()
    amounts = _amounts_of_the_bank(wh)
    cid = wh.query("SELECT customer_id FROM s_customer_balance ORDER BY aum DESC LIMIT 1")[0][0]
    corp = {"page_size": 200}
    export = {"purpose": "核对", "lang": "en-US"}

    def bodies() -> list[tuple[str, Any]]:
        return [
            ("360", client.get(f"/api/customers/{cid}/overview").json()),
            ("txn", client.get(f"/api/customers/{cid}/transactions", params={"page_size": 200}).json()),
            ("personal", client.post("/api/query/personal-accounts", json={"page_size": 200}).json()),
            ("passbooks", client.post("/api/query/passbooks", json={"page_size": 200}).json()),
            ("corporate", client.post("/api/query/corporate", json=corp).json()),
            ("top", client.post("/api/query/top-corporate", json={"n": 100}).json()),
        ]

    def sheets() -> list[list[Any]]:
        out = []
        for path in ("personal-accounts", "corporate", "top-corporate"):
            r = client.post(f"/api/query/{path}/export", json=export | ({"n": 100} if path == "top-corporate" else {}))
            assert r.status_code == 200, r.text
            ws = load_workbook(io.BytesIO(r.content), read_only=True).active
            assert ws is not None
            out.append([c for row in list(ws.iter_rows(values_only=True))[8:] for c in row if c not in (None, "")])
        return out

    login(client, "analyst")
    banded = bodies()
    for what, body in banded:
        values = _band_values(body)
        assert values, what  # the sweep looks at something
        assert all(isinstance(v, dict) and set(v) == {"lo", "hi", "negative"} for v in values), (what, values[:3])
        leaked = [a for a in amounts if f'"{a}"' in str(body).replace("'", '"')]
        assert not leaked, (what, leaked[:3])
    cells = [c for sheet in sheets() for c in sheet]
    assert any(isinstance(c, str) and re.fullmatch(r"-?\(?(<|≥)?\d+[kM](–\d+[kM])?\)?", c) for c in cells)
    assert not [c for c in cells if str(c) in amounts]
    # Bounds: band edges only (free bounds would find an amount to the cent by halving).
    r = client.post("/api/query/personal-accounts", json={"balance_min": "123456.78"})
    assert r.status_code == 403 and r.json()["code"] == "amount_search"
    assert (
        client.post("/api/query/personal-accounts", json={"balance_min": 100000, "balance_max": 500000}).status_code
        == 200
    )

    login(client, "hq")
    for what, body in bodies():
        values = _band_values(body)
        assert values and all(isinstance(v, str) and Decimal(v) is not None for v in values), what
    o = client.get(f"/api/customers/{cid}/overview").json()
    assert o["totals"]["aum"] in amounts
    figures = {Decimal(a) for a in amounts}  # exports write amounts as numbers (read back as floats)
    assert any(isinstance(c, (int, float)) and Decimal(str(c)) in figures for sheet in sheets() for c in sheet)
    assert client.post("/api/query/personal-accounts", json={"balance_min": "123456.78"}).status_code == 200
