"""建立客户 and account (un)assignment (CUS-2) on a generated bank loaded through the real ETL."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from bankcrm.auth.models import DataScope
from bankcrm.clock import FrozenClock
from bankcrm.customers.models import AccountLink, AccountUnlink, Customer, CustomerManager
from bankcrm.etl.identity import resolve
from bankcrm.orgs.models import Org, OrgMapping
from bankcrm.warehouse import Warehouse

from ..builders import login, make_role, make_user, resident_id, role
from .test_overview import DATES, loaded  # noqa: F401  (the fixture)


def _two_customers(wh: Warehouse) -> tuple[int, int, str]:
    """Two personal customers with savings, and one savings account of the first."""
    rows = wh.query(
        """SELECT b.customer_id, min(b.account_no) FROM s_account_balance b JOIN d_customer c
           ON c.customer_id = b.customer_id WHERE b.system = 'sav' AND c.type = 'personal' AND b.open_on_date
           GROUP BY b.customer_id ORDER BY b.customer_id LIMIT 2"""
    )
    return int(rows[0][0]), int(rows[1][0]), str(rows[0][1])


def _mapped_org(db: Session, system: str, code: str) -> Org:
    org_id = db.scalar(select(OrgMapping.org_id).where(OrgMapping.system == system, OrgMapping.src_code == code))
    org = db.get(Org, org_id) if org_id is not None else None
    assert org is not None, (system, code)
    return org


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

    from bankcrm.customers.models import CustomerManager

    from ..builders import make_user, role

    a, b, _ = _two_customers(loaded)
    # The manager works where b's savings accounts were opened: they may link those (SEC-2).
    code = loaded.scalar(
        "SELECT min(org_code) FROM s_account_balance WHERE customer_id = :c AND system = 'sav'", {"c": b}
    )
    cm = make_user(
        db, org=_mapped_org(db, "sav", code), roles=[role(db, "customer_manager")], username="cm", now=clock.now()
    )
    for cid in (a, b):
        db.add(CustomerManager(customer_id=cid, user_id=cm.id, share=Decimal(100), start_date=clock.now().date()))
    db.commit()
    login(client, "cm")
    rows = client.post("/api/query/personal-accounts", json={"systems": ["sav"], "page_size": 200}).json()["items"]
    theirs = [r for r in rows if r["customer_id"] == b and r["org_code"] == code]
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


def test_an_account_of_another_branch_is_never_linked_linked_or_not(
    loaded: Warehouse,  # noqa: F811
    client: TestClient,
    db: Session,
    clock: FrozenClock,
) -> None:
    """SEC-2: the pen test's claim. A manager may not link another branch's account, not even once it is
    unlinked (it would show in their 360 and count in their assessment); their own branch's they may."""
    from decimal import Decimal

    rows = loaded.query(
        """SELECT system, account_no, org_code, customer_id FROM s_account_balance
           WHERE system = 'sav' AND customer_id IS NOT NULL ORDER BY account_no"""
    )
    by_code = select(OrgMapping.src_code, Org).join(Org, Org.id == OrgMapping.org_id).where(OrgMapping.system == "sav")
    mapped = {code: org for code, org in db.execute(by_code)}
    orgs = {r[2]: mapped[r[2]] for r in rows if r[2] in mapped}
    rows = [r for r in rows if r[2] in orgs]
    mine = rows[0]
    home = orgs[mine[2]]
    # An account opened outside the manager's org subtree (another branch).
    theirs = next(r for r in rows if not orgs[r[2]].path.startswith(home.path))
    cm = make_user(db, org=home, roles=[role(db, "customer_manager")], username="gl_cm", now=clock.now())
    branch = make_role(db, codes={"customer.view", "customer.link"}, scope=DataScope.subtree)
    make_user(db, org=home, roles=[branch], username="gl_branch", now=clock.now())
    holder = int(mine[3])  # the manager's customer
    db.add(CustomerManager(customer_id=holder, user_id=cm.id, share=Decimal(100), start_date=clock.now().date()))
    db.commit()
    login(client, "hq")
    for system, account_no, _, customer_id in (mine, theirs):
        unlink = {"accounts": [{"system": system, "account_no": account_no}]}
        assert client.post(f"/api/customers/{customer_id}/links/remove", json=unlink).status_code == 200
    claim = {"accounts": [{"system": "sav", "account_no": theirs[1]}], "move": True}
    own = {"accounts": [{"system": "sav", "account_no": mine[1]}]}
    for user in ("gl_cm", "gl_branch"):
        login(client, user)
        r = client.post(f"/api/customers/{holder}/links", json=claim)
        assert r.status_code == 404 and r.json()["code"] == "not_found", r.text  # reads as no such account
        body = {
            "type": "personal",
            "org_id": home.id,
            "name": "周新客",
            "id_type": "101",
            "id_no": resident_id(seq="988"),
            "phone": "13700001234",
        }
        assert client.post("/api/customers", json=body | claim).status_code == 404
        assert db.scalar(select(Customer.id).where(Customer.id_no == body["id_no"])) is None  # all or nothing
    assert db.scalar(select(AccountLink).where(AccountLink.account_no == theirs[1])) is None
    # Linked again by head office, it still cannot be claimed (moved) by the branch.
    login(client, "hq")
    assert client.post(f"/api/customers/{theirs[3]}/links", json=claim).status_code == 200
    login(client, "gl_branch")
    assert client.post(f"/api/customers/{holder}/links", json=claim).status_code == 404
    # The manager's own branch's unlinked account: linked.
    login(client, "gl_cm")
    assert client.post(f"/api/customers/{holder}/links", json=own).json() == {"accounts": 1}
    # An account whose org code is not mapped onto the tree: head office only.
    db.execute(
        OrgMapping.__table__.update()
        .where(OrgMapping.system == "sav", OrgMapping.src_code == mine[2])
        .values(org_id=None)
    )
    db.commit()
    login(client, "hq")
    assert client.post(f"/api/customers/{holder}/links/remove", json=own).status_code == 200
    login(client, "gl_branch")
    assert client.post(f"/api/customers/{holder}/links", json=own).status_code == 404
    login(client, "hq")
    assert client.post(f"/api/customers/{holder}/links", json=own).json() == {"accounts": 1}
