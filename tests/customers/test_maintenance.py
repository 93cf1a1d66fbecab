"""Customer maintenance (CUS-1), records (CUS-5), managers (CUS-6): validation, history, scope, audit."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from bankcrm.auth.models import AuditRecord, User, UserStatus, user_role
from bankcrm.clock import FrozenClock
from bankcrm.customers.models import CustomerChange, CustomerManager
from bankcrm.orgs.models import OrgLevel

from ..builders import Bank, login, make_org, make_user, resident_id, role


def test_staff_correct_basic_information_with_history(client: TestClient, bank: Bank, db: Session) -> None:
    c = bank.customers["nj_managed"]
    login(client, "nj_manager")
    r = client.patch(f"/api/customers/{c.id}", json={"phone": "13900001111", "email": "li.si@example.com"})
    assert r.status_code == 200, r.text
    assert r.json()["phone"] == "139****1111"  # the answer is masked like every response
    changes = db.scalars(select(CustomerChange).where(CustomerChange.customer_id == c.id)).all()
    assert {(x.field, x.new_value, x.changed_by) for x in changes} >= {("phone", "13900001111", "nj_manager")}
    overview = client.get(f"/api/customers/{c.id}/overview").json()
    phone_change = next(x for x in overview["changes"] if x["field"] == "phone")
    assert phone_change["new_value"] == "139****1111" and phone_change["changed_by"] == "nj_manager"
    audit = db.scalars(select(AuditRecord).where(AuditRecord.action == "customer.update")).all()
    assert audit and "13900001111" not in str(audit[-1].detail)  # the audit names fields, not values
    # Sending the same values again changes nothing.
    client.patch(f"/api/customers/{c.id}", json={"phone": "13900001111"})
    assert len(db.scalars(select(CustomerChange).where(CustomerChange.customer_id == c.id)).all()) == len(changes)


def test_bad_values_are_refused_and_nothing_changes(client: TestClient, bank: Bank, db: Session) -> None:
    c = bank.customers["nj_managed"]
    login(client, "nj_manager")
    cases = [
        ({"phone": "12345"}, 400, "invalid_phone"),
        ({"id_no": resident_id()[:-1] + ("0" if resident_id()[-1] != "0" else "1")}, 400, "invalid_id_no"),
        ({"id_type": "201"}, 400, "invalid_id_type"),  # a company's ID type on a person
        ({"email": "not-an-email"}, 400, "invalid_email"),
        ({"industry": "ZZ"}, 400, "invalid_industry"),
        ({"name": ""}, 422, None),
        ({"tier": "hq_vip"}, 422, None),  # not an editable field
        ({"id_no": bank.customers["nj_other"].id_no}, 409, "duplicate_id"),
    ]
    for body, status, code in cases:
        r = client.patch(f"/api/customers/{c.id}", json=body)
        assert r.status_code == status, (body, r.text)
        if code:
            assert r.json()["code"] == code, r.text
    assert not db.scalars(select(CustomerChange).where(CustomerChange.customer_id == c.id)).all()
    assert (
        client.patch(f"/api/customers/{bank.customers['nj_other'].id}", json={"phone": "13900001111"}).status_code
        == 404
    )
    login(client, "nj_president")  # may view, may not edit
    assert client.patch(f"/api/customers/{c.id}", json={"phone": "13900001111"}).status_code == 403


def test_contact_records(client: TestClient, bank: Bank, clock: FrozenClock) -> None:
    c = bank.customers["nj_managed"]
    login(client, "nj_manager")
    today = clock.now().date()
    body = {"kind": "contact", "record_date": today.isoformat(), "channel": "COUNTER", "content": "到访咨询理财产品"}
    r = client.post(f"/api/customers/{c.id}/records", json=body | {"outcome": "预约下周面谈"})
    assert r.status_code == 201 and r.json()["created_by"] == "nj_manager"
    assert client.post(f"/api/customers/{c.id}/records", json=body | {"kind": "referral"}).status_code == 201
    tomorrow = (today + timedelta(days=1)).isoformat()
    assert client.post(f"/api/customers/{c.id}/records", json=body | {"record_date": tomorrow}).status_code == 400
    assert client.post(f"/api/customers/{c.id}/records", json=body | {"channel": "PIGEON"}).json()["code"] == (
        "invalid_channel"
    )
    assert client.post(f"/api/customers/{c.id}/records", json=body | {"kind": "gossip"}).status_code == 422
    listed = client.get(f"/api/customers/{c.id}/records", params={"kind": "contact"}).json()
    assert listed["total"] == 1 and listed["items"][0]["outcome"] == "预约下周面谈"
    other = bank.customers["nj_other"].id
    assert client.post(f"/api/customers/{other}/records", json=body).status_code == 404


def test_managers_with_shares_history_and_book_transfer(
    client: TestClient, bank: Bank, db: Session, clock: FrozenClock
) -> None:
    c = bank.customers["nj_managed"]
    first, second = (
        bank.users["nj_manager"],
        make_user(db, org=bank.nj_sub, roles=[role(db, "customer_manager")], username="nj_manager2", now=clock.now()),
    )
    sz_manager = make_user(db, org=bank.sz_sub, roles=[role(db, "customer_manager")], username="sz_m", now=clock.now())
    db.commit()
    login(client, "nj_president")
    start = clock.now().date().isoformat()
    url = f"/api/customers/{c.id}/managers"

    def put(managers: list[tuple[int, str]]) -> object:
        return client.put(
            url, json={"managers": [{"user_id": u, "share": s} for u, s in managers], "start_date": start}
        )

    assert put([(first.id, "60"), (second.id, "30")]).json()["code"] == "shares_not_100"  # type: ignore[attr-defined]
    assert put([(first.id, "50"), (first.id, "50")]).json()["code"] == "duplicate_manager"  # type: ignore[attr-defined]
    assert put([(sz_manager.id, "100")]).status_code == 404  # type: ignore[attr-defined]  # outside the caller's scope
    r = put([(first.id, "60"), (second.id, "40")])
    assert r.status_code == 200, r.text
    rows = db.scalars(select(CustomerManager).where(CustomerManager.customer_id == c.id)).all()
    assert sorted((m.user_id, str(m.share), m.end_date is None) for m in rows) == sorted(
        [(first.id, "100.00", False), (first.id, "60.00", True), (second.id, "40.00", True)]
    )  # the 100% assignment ended (history), two current ones
    candidates = {x["username"] for x in client.get("/api/customers/manager-candidates").json()}
    assert {"nj_manager", "nj_manager2"} <= candidates and "sz_m" not in candidates
    # Transfer the second manager's book to the first: shares add up on the same customer.
    r = client.post(
        "/api/customers/transfer-book",
        json={"from_user_id": second.id, "to_user_id": first.id, "start_date": start},
    )
    assert r.status_code == 200 and r.json() == {"customers": 1}
    db.expire_all()
    current = db.scalars(
        select(CustomerManager).where(CustomerManager.customer_id == c.id, CustomerManager.end_date.is_(None))
    ).all()
    assert [(m.user_id, str(m.share)) for m in current] == [(first.id, "100.00")]
    again = client.post(
        "/api/customers/transfer-book", json={"from_user_id": second.id, "to_user_id": first.id, "start_date": start}
    )
    assert again.status_code == 404
    login(client, "nj_manager")  # may not assign
    assert put([(first.id, "100")]).status_code == 403


def test_manager_candidates_are_filtered_by_role_and_org_line_before_the_limit(
    client: TestClient, bank: Bank, db: Session, clock: FrozenClock
) -> None:
    """600 lobby managers sort before every customer manager (their org's path is shorter): the
    candidates still list the managers, and for one customer only those on its org line."""
    now = clock.now()
    lobby = role(db, "lobby_manager")
    ids = db.scalars(
        insert(User).returning(User.id),
        [
            {
                "username": f"lobby{i:03d}",
                "display_name": "大堂经理",
                "org_id": bank.nj.id,
                "password_hash": "-",
                "status": UserStatus.active,
                "created_at": now,
            }
            for i in range(600)
        ],
    ).all()
    db.execute(insert(user_role), [{"user_id": i, "role_id": lobby.id} for i in ids])
    manager = role(db, "customer_manager")
    nj_sub2 = make_org(db, parent=bank.nj, level=OrgLevel.sub_branch, name="玄武支行", now=now)
    make_user(db, org=bank.nj, roles=[manager], username="nj_city_m", now=now)
    make_user(db, org=nj_sub2, roles=[manager], username="xw_m", now=now)
    make_user(db, org=bank.sz_sub, roles=[manager], username="sz_m", now=now)
    db.commit()
    login(client, "nj_president")
    names = [x["username"] for x in client.get("/api/customers/manager-candidates").json()]
    assert names == ["nj_city_m", "nj_manager", "xw_m"]  # by org path, then name; no lobby manager, no sz_m
    c = bank.customers["nj_managed"]  # at nj_sub: the city's manager above it, not the sibling sub-branch's
    r = client.get("/api/customers/manager-candidates", params={"customer_id": c.id})
    assert [x["username"] for x in r.json()] == ["nj_city_m", "nj_manager"]
    # Another side's customer is as unknown here as everywhere; a malformed id is a clear 422.
    other = client.get("/api/customers/manager-candidates", params={"customer_id": bank.customers["sz"].id})
    assert other.status_code == 404 and "赵六" not in other.text
    assert client.get("/api/customers/manager-candidates", params={"customer_id": "x"}).status_code == 422


def test_a_record_loaded_without_a_phone_takes_other_corrections(client: TestClient, bank: Bank, db: Session) -> None:
    """The rule for new entries (a personal customer needs a phone) does not block correcting the
    e-mail of a customer the core system sent without one; clearing a phone is still refused."""
    c = bank.customers["nj_managed"]
    c.phone = None
    db.commit()
    login(client, "nj_manager")
    r = client.patch(f"/api/customers/{c.id}", json={"email": "wang.wu@example.com"})
    assert r.status_code == 200, r.text
    assert r.json()["email"] is not None
    assert client.patch(f"/api/customers/{c.id}", json={"email": "bad"}).json()["code"] == "invalid_email"
    r = client.patch(f"/api/customers/{c.id}", json={"phone": ""})
    assert r.status_code == 400 and r.json()["code"] == "invalid_phone", r.text
    assert client.patch(f"/api/customers/{c.id}", json={"phone": "13900002222"}).status_code == 200
    r = client.patch(f"/api/customers/{c.id}", json={"phone": None})
    assert r.status_code in (400, 422), r.text
    changes = db.scalars(select(CustomerChange).where(CustomerChange.customer_id == c.id)).all()
    assert {x.field for x in changes} == {"email", "phone"}
