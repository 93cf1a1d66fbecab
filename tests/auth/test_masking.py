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
