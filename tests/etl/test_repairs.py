"""Data-quality repairs: bulk org-mapping rules, merging two records of one person, moving an account."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from bankcrm.auth.models import AuditRecord
from bankcrm.clock import FrozenClock
from bankcrm.customers.models import AccountLink, Customer, CustomerChange
from bankcrm.etl.identity import REHOME_ACTION, resolve
from bankcrm.etl.layouts import FEEDS
from bankcrm.etl.loader import ensure_schema
from bankcrm.etl.models import DqIssue, DqStatus
from bankcrm.orgs.models import OrgLevel, OrgMapping
from bankcrm.warehouse import Query, Warehouse

from ..builders import Bank, login, make_org, make_user, resident_id, role
from .test_identity import _load
from .test_loader import DATE, cif_row, crd_row, sav_row


@pytest.fixture
def wh(wh: Warehouse) -> Warehouse:
    ensure_schema(wh, FEEDS)
    return wh


def _admin(db: Session, bank: Bank, clock: FrozenClock, client: TestClient) -> None:
    make_user(db, org=bank.head, roles=[role(db, "data_admin")], username="dq_admin", now=clock.now())
    db.commit()
    login(client, "dq_admin")


def _open(db: Session, kind: str) -> list[DqIssue]:
    return list(db.scalars(select(DqIssue).where(DqIssue.kind == kind, DqIssue.status == DqStatus.open)))


def test_a_prefix_rule_maps_a_whole_system(
    wh: Warehouse, tmp_path: Path, db: Session, bank: Bank, clock: FrozenClock, client: TestClient
) -> None:
    gulou = make_org(db, parent=bank.nj, level=OrgLevel.sub_branch, code="320106", name="鼓楼支行", now=clock.now())
    _load(wh, tmp_path / "a", cif=[cif_row(1, org_code="K320106")], sav=[sav_row(1, org_code="K999")], crd=[crd_row(1)])
    resolve(db, wh, DATE, now=clock.now())
    _admin(db, bank, clock, client)
    assert client.put("/api/etl/org-mapping-rules/nope", json={"strip_prefix": "K"}).status_code == 400
    assert client.put("/api/etl/org-mapping-rules/cif", json={"strip_prefix": "K'; --"}).status_code == 422
    r = client.put("/api/etl/org-mapping-rules/cif", json={"strip_prefix": "K"})
    assert r.status_code == 200 and (r.json()["mapped"], r.json()["unmapped"]) == (1, 0)
    assert db.get(OrgMapping, ("cif", "K320106")).org_id == gulou.id  # type: ignore[union-attr]
    assert "cif:K320106" not in {i.key for i in _open(db, "unmapped_org")}
    assert client.put("/api/etl/org-mapping-rules/sav", json={"strip_prefix": "K"}).json()["unmapped"] == 1  # no 999
    assert [x["system"] for x in client.get("/api/etl/org-mapping-rules").json()] == ["cif", "sav"]
    # New codes of the system follow the rule at the next load.
    make_org(db, parent=bank.nj, level=OrgLevel.sub_branch, code="320102", name="玄武支行", now=clock.now())
    db.commit()
    _load(
        wh,
        tmp_path / "b",
        cif=[cif_row(1, org_code="K320106"), cif_row(2, org_code="K320102")],
        sav=[sav_row(1)],
        crd=[crd_row(1)],
        date="20260106",
    )
    resolve(db, wh, "20260106", now=clock.now())
    m = db.get(OrgMapping, ("cif", "K320102"))
    assert m is not None and m.method == "rule" and m.org_id is not None
    assert client.delete("/api/etl/org-mapping-rules/sav").status_code == 204
    assert client.delete("/api/etl/org-mapping-rules/sav").status_code == 404
    login(client, "nj_president")
    assert client.put("/api/etl/org-mapping-rules/cif", json={"strip_prefix": "K"}).status_code == 403


def test_merge_two_records_of_one_person(
    wh: Warehouse, tmp_path: Path, db: Session, bank: Bank, clock: FrozenClock, client: TestClient
) -> None:
    make_org(db, parent=bank.nj, level=OrgLevel.sub_branch, code="320106", name="鼓楼支行", now=clock.now())
    a, b = cif_row(1, name="李娜"), cif_row(2, name="李娜")  # two IDs, one name, same org: review, not merged
    _load(wh, tmp_path / "a", cif=[a, b], sav=[sav_row(1, id_no=b["id_no"], cust_name="李娜")], crd=[crd_row(1)])
    resolve(db, wh, DATE, now=clock.now())
    first = db.scalars(select(Customer).where(Customer.id_no == a["id_no"])).one()
    second = db.scalars(select(Customer).where(Customer.id_no == b["id_no"])).one()
    assert _open(db, "name_match_review")
    _admin(db, bank, clock, client)
    body = {"survivor_id": first.id, "merged_id": second.id, "note": "柜面核实为同一人"}
    assert client.post("/api/etl/dq/merge", json=body | {"merged_id": first.id}).json()["code"] == "same_customer"
    assert client.post("/api/etl/dq/merge", json=body | {"note": ""}).status_code == 422
    r = client.post("/api/etl/dq/merge", json=body)
    assert r.status_code == 200 and r.json() == {"survivor_id": first.id, "links_moved": 2}  # cif + sav
    db.expire_all()
    assert {lk.customer_id for lk in db.scalars(select(AccountLink))} >= {first.id}
    assert not db.scalars(select(AccountLink).where(AccountLink.customer_id == second.id)).all()
    assert not _open(db, "name_match_review")
    assert client.post("/api/etl/dq/merge", json=body).status_code == 404  # merged records are history
    login(client, "nj_president")
    assert client.get(f"/api/customers/{second.id}").status_code == 404
    assert client.get(f"/api/customers/{first.id}").status_code == 200
    found = client.post("/api/customers/search", json={"q": "李娜"}).json()
    assert [c["id"] for c in found["items"]] == [first.id]
    # The snapshot follows: the survivor holds the moved deposit.
    assert wh.scalar("SELECT accounts FROM s_customer_balance WHERE customer_id = :c", {"c": first.id}) == 1
    # Later files naming the merged ID join the survivor, and raise nothing new.
    _load(
        wh,
        tmp_path / "b",
        cif=[a, b],
        sav=[sav_row(1, id_no=b["id_no"], cust_name="李娜"), sav_row(2, id_no=b["id_no"], cust_name="李娜")],
        crd=[crd_row(1)],
        date="20260106",
    )
    r2 = resolve(db, wh, "20260106", now=clock.now())
    assert r2.customers_created == 0 and r2.issues_raised == 0
    new_link = db.scalars(select(AccountLink).where(AccountLink.account_no == "622200000002")).one()
    assert new_link.customer_id == first.id


def test_move_an_account_to_its_new_holder(
    wh: Warehouse, tmp_path: Path, db: Session, bank: Bank, clock: FrozenClock, client: TestClient
) -> None:
    _load(wh, tmp_path / "a", cif=[cif_row(1), cif_row(2)], sav=[sav_row(1)], crd=[crd_row(1)])
    resolve(db, wh, DATE, now=clock.now())
    other = cif_row(2)["id_no"]
    later = {"cif": [cif_row(1), cif_row(2)], "sav": [sav_row(1, id_no=other, cust_name="张2")], "crd": [crd_row(1)]}
    _load(wh, tmp_path / "b", **later, date="20260106")  # type: ignore[arg-type]
    resolve(db, wh, "20260106", now=clock.now())
    assert _open(db, "link_changed")
    holder = db.scalars(select(Customer).where(Customer.id_no == other)).one()
    _admin(db, bank, clock, client)
    body = {"system": "sav", "account_no": "622200000001", "customer_id": holder.id, "note": "账户过户"}
    assert client.post("/api/etl/dq/relink", json=body | {"account_no": "9999"}).status_code == 404
    assert client.post("/api/etl/dq/relink", json=body | {"customer_id": 10**9}).status_code == 404
    r = client.post("/api/etl/dq/relink", json=body)
    assert r.status_code == 200 and r.json()["customer_id"] == holder.id
    assert client.post("/api/etl/dq/relink", json=body).json()["code"] == "same_customer"
    assert not _open(db, "link_changed")
    _load(wh, tmp_path / "c", **later, date="20260107")  # type: ignore[arg-type]
    assert resolve(db, wh, "20260107", now=clock.now()).issues_raised == 0  # staff's decision stands


D_CUSTOMER_ORG = Query("test.d_customer_org", "SELECT org_id FROM d_customer WHERE customer_id = :c")


def _changes(db: Session, customer_id: int) -> list[tuple[str, str | None, str | None, str]]:
    return [
        (c.field, c.old_value, c.new_value, c.changed_by)
        for c in db.scalars(select(CustomerChange).where(CustomerChange.customer_id == customer_id))
    ]


def _rehome_audits(db: Session) -> list[dict[str, object]]:
    return [a.detail or {} for a in db.scalars(select(AuditRecord).where(AuditRecord.action == REHOME_ACTION))]


def test_mapping_a_code_moves_its_customers_out_of_head_office(
    wh: Warehouse, tmp_path: Path, db: Session, bank: Bank, clock: FrozenClock, client: TestClient
) -> None:
    two = [cif_row(1, org_code="K777"), cif_row(2, org_code="K777", id_no=resident_id(seq="002"))]
    _load(wh, tmp_path / "a", cif=two, sav=[sav_row(1, org_code="K777")], crd=[crd_row(1)])
    resolve(db, wh, DATE, now=clock.now())
    db.commit()
    c, staff = db.scalars(select(Customer).where(Customer.source == "cif").order_by(Customer.id)).all()
    assert c.org_id == staff.org_id == bank.head.id  # the code is unmapped: head office
    # A customer someone moved (to head office) since is theirs: mapping a code does not move it again.
    db.add(
        CustomerChange(
            customer_id=staff.id,
            field="org_id",
            old_value=str(bank.nj.id),
            new_value=str(bank.head.id),
            changed_at=clock.now(),
            changed_by="someone",
        )
    )
    db.commit()
    _admin(db, bank, clock, client)
    r = client.put("/api/etl/org-mappings/cif/K777", json={"org_id": bank.nj_sub.id})
    assert r.status_code == 200, r.text
    db.expire_all()
    assert db.get(Customer, c.id).org_id == bank.nj_sub.id  # type: ignore[union-attr]
    assert _changes(db, c.id) == [("org_id", str(bank.head.id), str(bank.nj_sub.id), "dq_admin")]
    assert db.get(Customer, staff.id).org_id == bank.head.id  # type: ignore[union-attr]
    assert _rehome_audits(db) == [{"moved": 1, "to_orgs": {str(bank.nj_sub.id): 1}}]
    # The serving snapshot follows: the customer is in its new org there too.
    assert wh.query(D_CUSTOMER_ORG, {"c": c.id}) == [(bank.nj_sub.id,)]
    # Mapping again moves nobody twice.
    client.put("/api/etl/org-mappings/cif/K777", json={"org_id": bank.nj_sub.id})
    db.expire_all()
    assert len(_rehome_audits(db)) == 1 and len(_changes(db, c.id)) == 1


def test_a_later_load_moves_customers_whose_code_was_mapped_meanwhile(
    wh: Warehouse, tmp_path: Path, db: Session, bank: Bank, clock: FrozenClock
) -> None:
    _load(wh, tmp_path / "a", cif=[cif_row(1, org_code="K777")], sav=[sav_row(1, org_code="K777")], crd=[crd_row(1)])
    first = resolve(db, wh, DATE, now=clock.now())
    assert first.customers_updated == 0 and first.accounts_unmapped >= 1
    c = db.scalars(select(Customer).where(Customer.source == "cif")).one()
    assert c.org_id == bank.head.id
    # Mapped outside the API (a direct fix in the store): the next load moves the customer.
    m = db.get(OrgMapping, ("cif", "K777"))
    assert m is not None
    m.org_id, m.method = bank.sz.id, "manual"
    db.commit()
    _load(
        wh,
        tmp_path / "b",
        cif=[cif_row(1, org_code="K777")],
        sav=[sav_row(1, org_code="K777")],
        crd=[crd_row(1)],
        date="20260106",
    )
    second = resolve(db, wh, "20260106", now=clock.now())
    assert second.customers_updated == 1
    db.expire_all()
    assert db.get(Customer, c.id).org_id == bank.sz.id  # type: ignore[union-attr]
    assert _changes(db, c.id) == [("org_id", str(bank.head.id), str(bank.sz.id), "system")]
    assert _rehome_audits(db) == [{"moved": 1, "to_orgs": {str(bank.sz.id): 1}}]


def test_an_identity_rule_maps_codes_equal_in_both_systems(
    wh: Warehouse, tmp_path: Path, db: Session, bank: Bank, clock: FrozenClock, client: TestClient
) -> None:
    # The code is seen before its org exists: unmapped, the customer at head office.
    _load(wh, tmp_path / "a", cif=[cif_row(1, org_code="320188")], sav=[sav_row(1)], crd=[crd_row(1)])
    resolve(db, wh, DATE, now=clock.now())
    db.commit()
    c = db.scalars(select(Customer).where(Customer.source == "cif")).one()
    assert c.org_id == bank.head.id
    new = make_org(db, parent=bank.nj, level=OrgLevel.sub_branch, code="320188", name="新支行", now=clock.now())
    _admin(db, bank, clock, client)
    r = client.put("/api/etl/org-mapping-rules/cif", json={})  # no prefix: codes equal in both systems
    assert r.status_code == 200, r.text
    assert r.json()["mapped"] == 1 and r.json()["rule"]["strip_prefix"] == r.json()["rule"]["add_prefix"] == ""
    m = db.get(OrgMapping, ("cif", "320188"))
    assert m is not None and (m.org_id, m.method) == (new.id, "rule")
    db.expire_all()
    assert db.get(Customer, c.id).org_id == new.id  # type: ignore[union-attr]
    assert _changes(db, c.id) == [("org_id", str(bank.head.id), str(new.id), "dq_admin")]
