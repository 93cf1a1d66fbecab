"""Identity resolution and org unification after a date is published."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bankcrm.clock import FrozenClock
from bankcrm.customers.models import AccountLink, Customer, CustomerType
from bankcrm.etl.identity import resolve
from bankcrm.etl.layouts import FEEDS
from bankcrm.etl.loader import ensure_schema, load_date
from bankcrm.etl.models import DqIssue
from bankcrm.idnumbers import upgrade_15_to_18
from bankcrm.orgs.models import OrgLevel, OrgMapping
from bankcrm.warehouse import Warehouse

from ..builders import Bank, make_org
from .test_loader import CIF, CRD, DATE, SAV, USCC, cif_row, crd_row, sav_row, write

LEGACY = "110105491231002"  # the same person as upgrade_15_to_18(LEGACY)


@pytest.fixture
def wh(wh: Warehouse) -> Warehouse:
    ensure_schema(wh, FEEDS)
    return wh


def _load(wh: Warehouse, d: Path, cif: list, sav: list, crd: list, date: str = DATE) -> None:  # type: ignore[type-arg]
    d.mkdir()
    write(d, CIF, cif, date=date)
    write(d, SAV, sav, date=date)
    write(d, CRD, crd, date=date)
    load_date(wh, d, date, [CIF, SAV, CRD])


def _issues(db: Session) -> list[tuple[str, str]]:
    return [(i.kind, i.key) for i in db.scalars(select(DqIssue).order_by(DqIssue.id))]


def test_accounts_link_to_one_customer_by_id(
    wh: Warehouse, tmp_path: Path, db: Session, bank: Bank, clock: FrozenClock
) -> None:
    make_org(db, parent=bank.nj, level=OrgLevel.sub_branch, code="320106", name="鼓楼支行", now=clock.now())
    full = upgrade_15_to_18(LEGACY)
    _load(
        wh,
        tmp_path / "a",
        cif=[cif_row(1, id_no=full, name="王芳")],
        sav=[sav_row(1, id_no=LEGACY, cust_name="王芳"), sav_row(2, id_no=full, cust_name="王芳")],
        crd=[crd_row(1)],
    )
    r = resolve(db, wh, DATE, now=clock.now())
    assert (r.customers_created, r.links_created) == (2, 4)
    person = db.scalars(select(Customer).where(Customer.id_no == full)).one()
    assert person.name == "王芳" and person.type == CustomerType.personal and person.source == "cif"
    assert (
        person.org_id
        == db.scalars(
            select(OrgMapping.org_id).where(OrgMapping.src_code == "320106", OrgMapping.system == "cif")
        ).one()
    )
    links = {
        (lk.system, lk.account_no): lk.method
        for lk in db.scalars(select(AccountLink).where(AccountLink.customer_id == person.id))
    }
    assert links == {("cif", "C00001"): "id", ("sav", "622200000001"): "id_upgraded", ("sav", "622200000002"): "id"}
    company = db.scalars(select(Customer).where(Customer.id_no == USCC)).one()
    assert company.type == CustomerType.corporate
    assert db.scalars(select(AccountLink.method).where(AccountLink.customer_id == company.id)).all() == ["uscc"]
    # Running it again changes nothing.
    again = resolve(db, wh, DATE, now=clock.now())
    assert (again.customers_created, again.links_created, again.issues_raised) == (0, 0, 0)


def test_conflicts_and_name_only_matches_go_to_review(
    wh: Warehouse, tmp_path: Path, db: Session, bank: Bank, clock: FrozenClock
) -> None:
    make_org(db, parent=bank.nj, level=OrgLevel.sub_branch, code="320106", name="鼓楼支行", now=clock.now())
    a, b = cif_row(1, name="李娜"), cif_row(2, name="李娜")  # two IDs, one name, same org
    _load(wh, tmp_path / "a", cif=[a, b], sav=[sav_row(1, id_no=a["id_no"], cust_name="李娜娜")], crd=[crd_row(1)])
    first = resolve(db, wh, DATE, now=clock.now())
    assert first.customers_created == 3  # never merged on a name
    kinds = [k for k, _ in _issues(db)]
    assert "id_name_conflict" in kinds and "name_match_review" in kinds


def test_unmapped_org_codes_are_reported_not_dropped(
    wh: Warehouse, tmp_path: Path, db: Session, bank: Bank, clock: FrozenClock
) -> None:
    _load(wh, tmp_path / "a", cif=[cif_row(1, org_code="K999")], sav=[sav_row(1, org_code="K999")], crd=[crd_row(1)])
    r = resolve(db, wh, DATE, now=clock.now())
    assert r.orgs_unmapped >= 2
    assert ("unmapped_org", "cif:K999") in _issues(db) and ("unmapped_org", "sav:K999") in _issues(db)
    c = db.scalars(select(Customer).where(Customer.source == "cif")).one()
    assert c.org_id == bank.head.id  # placed at head office until the code is mapped


def test_an_account_that_changes_holder_is_raised(
    wh: Warehouse, tmp_path: Path, db: Session, bank: Bank, clock: FrozenClock
) -> None:
    _load(wh, tmp_path / "a", cif=[cif_row(1), cif_row(2)], sav=[sav_row(1)], crd=[crd_row(1)])
    resolve(db, wh, DATE, now=clock.now())
    other = cif_row(2)["id_no"]
    _load(
        wh,
        tmp_path / "b",
        cif=[cif_row(1), cif_row(2)],
        sav=[sav_row(1, id_no=other, cust_name="张2")],
        crd=[crd_row(1)],
        date="20260106",
    )
    r = resolve(db, wh, "20260106", now=clock.now())
    assert ("link_changed", "sav:622200000001") in _issues(db) and r.links_created == 0


def test_data_quality_work_list_through_the_api(
    wh: Warehouse, tmp_path: Path, db: Session, bank: Bank, clock: FrozenClock, client
) -> None:  # type: ignore[no-untyped-def]
    from ..builders import login, make_user, role

    a = cif_row(1, name="李娜")
    _load(
        wh,
        tmp_path / "a",
        cif=[a, cif_row(2, org_code="K999")],
        sav=[sav_row(1, id_no=a["id_no"], cust_name="李娜娜")],
        crd=[crd_row(1)],
    )
    resolve(db, wh, DATE, now=clock.now())
    make_user(db, org=bank.head, roles=[role(db, "data_admin")], username="dq_admin", now=clock.now())
    db.commit()
    login(client, "dq_admin")
    issues = client.get("/api/etl/dq/issues", params={"status": "open"}).json()
    conflict = next(i for i in issues["items"] if i["kind"] == "id_name_conflict")
    assert "*" in conflict["id_no"] and conflict["detail"]["names"] == ["李娜", "李娜娜"]  # masked ID
    r = client.post(f"/api/etl/dq/issues/{conflict['id']}/close", json={"status": "resolved", "note": "核实为同一人"})
    assert r.status_code == 200 and r.json()["resolved_by"] == "dq_admin"
    assert (
        client.post(
            f"/api/etl/dq/issues/{conflict['id']}/close", json={"status": "resolved", "note": "again"}
        ).status_code
        == 400
    )
    unmapped = client.get("/api/etl/org-mappings", params={"unmapped_only": True}).json()["items"]
    assert ("cif", "K999") in {(m["system"], m["src_code"]) for m in unmapped}
    r = client.put("/api/etl/org-mappings/cif/K999", json={"org_id": bank.nj_sub.id})
    assert r.status_code == 200 and r.json()["method"] == "manual"
    left = client.get("/api/etl/dq/issues", params={"kind": "unmapped_org", "status": "open"}).json()["items"]
    assert "cif:K999" not in {i["ref"] and f"{i['system']}:{i['ref']}" for i in left}
    login(client, "nj_president")
    assert client.get("/api/etl/dq/issues").status_code == 403
