"""建立客户 and account (un)assignment (CUS-2) on a generated bank loaded through the real ETL."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from bankcrm.clock import FrozenClock
from bankcrm.customers.models import AccountLink, AccountUnlink
from bankcrm.etl.identity import resolve
from bankcrm.warehouse import Warehouse

from ..builders import login, resident_id
from .test_overview import DATES, loaded  # noqa: F401  (the fixture)


def _two_customers(wh: Warehouse) -> tuple[int, int, str]:
    """Two personal customers with savings, and one savings account of the first."""
    rows = wh.query(
        """SELECT b.customer_id, min(b.account_no) FROM s_account_balance b JOIN d_customer c
           ON c.customer_id = b.customer_id WHERE b.system = 'sav' AND c.type = 'personal' AND b.open_on_date
           GROUP BY b.customer_id ORDER BY b.customer_id LIMIT 2"""
    )
    return int(rows[0][0]), int(rows[1][0]), str(rows[0][1])


def test_attach_move_and_unassign_accounts(
    loaded: Warehouse,  # noqa: F811
    client: TestClient,
    db: Session,
    clock: FrozenClock,
) -> None:
    a, b, account = _two_customers(loaded)
    login(client, "hq")
    ref = {"system": "sav", "account_no": account}
    r = client.post(f"/api/customers/{b}/links", json={"accounts": [ref]})
    assert r.status_code == 409 and r.json()["code"] == "linked_elsewhere"
    assert account not in r.text  # the conflict names the account masked
    r = client.post(f"/api/customers/{b}/links", json={"accounts": [ref], "move": True, "counts_for_assessment": False})
    assert r.status_code == 200 and r.json() == {"accounts": 1}
    moved = next(
        x
        for x in client.get(f"/api/customers/{b}/overview").json()["accounts"]
        if x["system"] == "sav" and x["account_no"].endswith(account[-4:]) and x["counts_for_assessment"] is False
    )
    assert moved  # the snapshot followed: the account is now the second customer's, watch only
    # And so did its transactions (the recent-transactions table is rebuilt with the snapshot).
    txn_count = int(loaded.scalar("SELECT count(*) FROM f_sav_txn WHERE account_no = :a", {"a": account}))
    assert txn_count > 0  # the generated bank gives this account transactions (else the check below is empty)
    b_txns = client.get(f"/api/customers/{b}/transactions", params={"page_size": 200}).json()["items"]
    a_txns = client.get(f"/api/customers/{a}/transactions", params={"page_size": 200}).json()["items"]
    assert sum(t["system"] == "sav" and t["account_no"].endswith(account[-4:]) for t in b_txns) == txn_count
    assert not any(t["system"] == "sav" and t["account_no"].endswith(account[-4:]) for t in a_txns)
    assert all(
        not x["account_no"].endswith(account[-4:]) or x["system"] != "sav"
        for x in client.get(f"/api/customers/{a}/overview").json()["accounts"]
    )
    # Un-assign: the next resolution leaves it unlinked.
    assert client.post(f"/api/customers/{a}/links/remove", json={"accounts": [ref]}).status_code == 404
    assert client.post(f"/api/customers/{b}/links/remove", json={"accounts": [ref]}).json() == {"accounts": 1}
    assert db.get(AccountUnlink, ("sav", account)) is not None
    resolve(db, loaded, DATES[-1], now=clock.now())
    db.commit()
    assert db.scalar(select(AccountLink).where(AccountLink.account_no == account)) is None
    # Attached again by staff: the marker goes.
    assert client.post(f"/api/customers/{a}/links", json={"accounts": [ref]}).status_code == 200
    db.expire_all()
    assert db.get(AccountUnlink, ("sav", account)) is None
    bad = [
        {"accounts": []},
        {"accounts": [ref, ref]},
        {"accounts": [{"system": "xx", "account_no": account}]},
        {"accounts": [{"system": "sav", "account_no": "1' OR '1'='1"}]},
    ]
    for body in bad:
        assert client.post(f"/api/customers/{a}/links", json=body).status_code in (400, 422), body
    missing = {"accounts": [{"system": "sav", "account_no": "999999999999"}]}
    assert client.post(f"/api/customers/{a}/links", json=missing).status_code == 404


def test_create_a_customer_from_query_results(
    loaded: Warehouse,  # noqa: F811
    client: TestClient,
    db: Session,
) -> None:
    a, _, account = _two_customers(loaded)
    login(client, "hq")
    org_id = client.get(f"/api/customers/{a}").json()["org_id"]
    body = {
        "type": "personal",
        "org_id": org_id,
        "name": "周新客",
        "id_type": "101",
        "id_no": resident_id(seq="987"),
        "phone": "13700001234",
        "accounts": [{"system": "sav", "account_no": account}],
        "move": True,
    }
    assert client.post("/api/customers", json=body | {"id_no": resident_id(seq="987")[:-1] + "0"}).status_code in (
        400,
        409,
    )
    assert client.post("/api/customers", json=body | {"phone": None}).json()["code"] == "invalid_phone"
    r = client.post("/api/customers", json=body)
    assert r.status_code == 201, r.text
    new_id = r.json()["id"]
    link = db.scalar(select(AccountLink).where(AccountLink.account_no == account))
    assert link is not None and link.customer_id == new_id and link.method == "manual"
    assert client.post("/api/customers", json=body | {"accounts": []}).json()["code"] == "duplicate_id"
    assert client.post("/api/customers", json=body | {"org_id": 10**6}).status_code == 404


def test_a_customer_manager_links_a_queried_account_by_its_reference(
    loaded: Warehouse,  # noqa: F811
    client: TestClient,
    db: Session,
    clock: FrozenClock,
) -> None:
    """A customer manager sees only masked numbers; the query hands out opaque references to link with."""
    from decimal import Decimal

    from bankcrm.customers.models import Customer, CustomerManager

    from ..builders import make_user, role

    a, b, _ = _two_customers(loaded)
    org = db.get(Customer, a).org_id  # type: ignore[union-attr]
    from bankcrm.orgs.models import Org

    cm = make_user(db, org=db.get(Org, org), roles=[role(db, "customer_manager")], username="cm", now=clock.now())  # type: ignore[arg-type]
    for cid in (a, b):
        db.add(CustomerManager(customer_id=cid, user_id=cm.id, share=Decimal(100), start_date=clock.now().date()))
    db.commit()
    login(client, "cm")
    rows = client.post("/api/query/personal-accounts", json={"systems": ["sav"], "page_size": 200}).json()["items"]
    theirs = [r for r in rows if r["customer_id"] == b]
    assert theirs and all("*" in r["account_no"] for r in rows)  # masked for a customer manager
    ref = theirs[0]["ref"]
    assert theirs[0]["account_no"] not in ref
    r = client.post(f"/api/customers/{a}/links", json={"accounts": [{"ref": ref}], "move": True})
    assert r.status_code == 200, r.text
    tampered = ref[:-6] + ("A" if ref[-6] != "A" else "B") + ref[-5:]
    bad = client.post(f"/api/customers/{a}/links", json={"accounts": [{"ref": tampered}]})
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_ref"
    both = {"ref": ref, "system": "sav", "account_no": "622200000001"}
    assert client.post(f"/api/customers/{a}/links", json={"accounts": [both]}).status_code == 422
