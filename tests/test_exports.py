"""Excel exports: purpose required, capped, masked like the screen, user and time in the file, audited."""

from __future__ import annotations

import io
import re

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from bankcrm.auth.models import AuditRecord
from bankcrm.clock import FrozenClock
from bankcrm.exports import XLSX

from .builders import Bank, login, make_role, make_user

FULL_ID = re.compile(r"(?<![\dA-Z*])\d{17}[\dX](?![\dA-Z])")


def _sheet(content: bytes) -> list[list[object]]:
    ws = load_workbook(io.BytesIO(content), read_only=True).active
    assert ws is not None
    return [list(r) for r in ws.iter_rows(values_only=True)]


def test_customer_export_is_masked_scoped_and_audited(client: TestClient, bank: Bank, db: Session) -> None:
    login(client, "nj_president")
    r = client.post("/api/customers/export", json={"purpose": "季度客户回访名单"})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == XLSX
    assert re.match(
        r"attachment; filename=\"customers-\d{8}-\d{6}\.xlsx\"; "
        r"filename\*=UTF-8''%E5%AE%A2%E6%88%B7-\d{8}-\d{6}\.xlsx$",
        r.headers["content-disposition"],
    )
    rows = _sheet(r.content)
    text = str(rows)
    assert "nj_president" in text and "季度客户回访名单" in text  # who and why are in the file
    names = {row[1] for row in rows[8:]}
    assert names == {"李四", "王五"}  # Suzhou's customer is not in Nanjing's export
    assert not FULL_ID.search(text) and "138****5678" in text
    rec = db.scalars(select(AuditRecord).where(AuditRecord.action == "data.export")).one()
    assert rec.detail["rows"] == 2 and rec.detail["purpose"] == "季度客户回访名单" and rec.detail["masked"] is True


def test_purpose_is_required(client: TestClient, bank: Bank) -> None:
    login(client, "nj_president")
    assert client.post("/api/customers/export", json={}).status_code == 422
    assert client.post("/api/customers/export", json={"purpose": " "}).status_code == 422


def test_export_needs_the_export_right(client: TestClient, bank: Bank, db: Session, clock: FrozenClock) -> None:
    r = make_role(db, codes={"customer.view"})
    make_user(db, org=bank.nj, roles=[r], username="nj_viewonly", now=clock.now())
    db.commit()
    login(client, "nj_viewonly")
    r2 = client.post("/api/customers/export", json={"purpose": "核对"})
    assert r2.status_code == 403 and r2.json()["details"] == {"required": ["data.export"]}


def test_export_over_the_limit_is_refused_not_truncated(client: TestClient, bank: Bank, db: Session) -> None:
    login(client, "admin")
    assert client.put("/api/system/parameters/export.max_rows", json={"value": 100}).status_code == 200
    assert client.post("/api/audit/export", json={"purpose": "年度审计"}).status_code == 200
    for _ in range(101):
        client.get(f"/api/customers/{bank.customers['nj_other'].id}")  # each view adds an audit record
    r = client.post("/api/audit/export", json={"purpose": "年度审计"})
    assert r.status_code == 400 and r.json()["code"] == "export_too_large"


def test_users_and_audit_exports_in_english(client: TestClient, bank: Bank) -> None:
    login(client, "nj_admin")
    users = _sheet(client.post("/api/users/export", json={"purpose": "staff review", "lang": "en-US"}).content)
    assert users[0][0] == "Operators" and users[7][0] == "User name"
    assert {row[0] for row in users[8:]} == {"nj_admin", "nj_president", "nj_manager"}
    audit_rows = _sheet(client.post("/api/audit/export", json={"purpose": "review", "lang": "en-US"}).content)
    assert audit_rows[7][:4] == ["No.", "Time (Beijing)", "Operator", "Action"]


def test_formula_like_text_is_not_a_formula(client: TestClient, bank: Bank) -> None:
    login(client, "admin")
    client.patch(f"/api/users/{bank.users['nj_manager'].id}", json={"display_name": '=HYPERLINK("x")'})
    content = client.post("/api/users/export", json={"purpose": "check"}).content
    ws = load_workbook(io.BytesIO(content)).active
    assert ws is not None
    cells = [c for row in ws.iter_rows() for c in row if c.value == '=HYPERLINK("x")']
    assert cells and all(c.data_type == "s" for c in cells)


def test_formula_like_purpose_is_text_in_the_header(client: TestClient, bank: Bank) -> None:
    login(client, "admin")
    content = client.post("/api/users/export", json={"purpose": '=HYPERLINK("http://x")'}).content
    ws = load_workbook(io.BytesIO(content)).active
    assert ws is not None
    cells = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=")]
    assert cells and all(c.data_type == "s" for c in cells)
