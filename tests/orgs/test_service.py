"""Org tree: create, rename, move, merge, close, each kept in history and bounded by scope."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from bankcrm.auth.models import User
from bankcrm.clock import FrozenClock
from bankcrm.customers.models import Customer
from bankcrm.orgs.models import Org

from ..builders import Bank, login, make_role, make_user


def _create(client: TestClient, parent: int, code: str, level: str = "sub_branch", name: str = "新支行") -> dict:  # type: ignore[type-arg]
    r = client.post("/api/orgs", json={"code": code, "name": name, "level": level, "parent_id": parent})
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


def test_tree_is_limited_to_subtree(client: TestClient, bank: Bank) -> None:
    login(client, "nj_admin")
    tree = client.get("/api/orgs/tree").json()
    assert [n["id"] for n in tree] == [bank.nj.id]
    assert [c["id"] for c in tree[0]["children"]] == [bank.nj_sub.id]
    login(client, "admin")
    assert client.get("/api/orgs/tree").json()[0]["id"] == bank.head.id


def test_create_rename_and_history(client: TestClient, bank: Bank) -> None:
    login(client, "admin")
    org = _create(client, bank.nj.id, "NJ9")
    assert org["path"] == f"{bank.nj.path}{org['id']}/"
    r = client.patch(f"/api/orgs/{org['id']}", json={"name": "南京新街口支行"})
    assert r.json()["name"] == "南京新街口支行"
    hist = client.get(f"/api/orgs/{org['id']}/history").json()
    assert [h["action"] for h in hist] == ["rename", "create"]
    assert hist[0]["detail"] == {"from": "新支行", "to": "南京新街口支行"}


def test_invalid_creates(client: TestClient, bank: Bank) -> None:
    login(client, "admin")
    assert (
        client.post(
            "/api/orgs", json={"code": "H0", "name": "x", "level": "outlet", "parent_id": bank.nj.id}
        ).status_code
        == 409
    )
    assert (
        client.post(
            "/api/orgs", json={"code": "P2", "name": "x", "level": "province", "parent_id": bank.nj.id}
        ).status_code
        == 400
    )
    assert (
        client.post(
            "/api/orgs", json={"code": "bad code!", "name": "x", "level": "outlet", "parent_id": bank.nj.id}
        ).status_code
        == 422
    )
    assert (
        client.post("/api/orgs", json={"code": "Z1", "name": "x", "level": "outlet", "parent_id": 999999}).status_code
        == 404
    )


def test_any_depth(client: TestClient, bank: Bank) -> None:
    login(client, "admin")
    parent = bank.nj_sub.id
    for i in range(6):
        parent = _create(client, parent, f"D{i}", level="outlet")["id"]
    assert client.get(f"/api/orgs/{parent}").json()["path"].count("/") == 11


def test_move_updates_the_whole_subtree(client: TestClient, bank: Bank, db: Session) -> None:
    login(client, "admin")
    child = _create(client, bank.nj_sub.id, "OUT1", level="outlet")
    r = client.post(f"/api/orgs/{bank.nj_sub.id}/move", json={"new_parent_id": bank.sz.id})
    assert r.status_code == 200
    db.expire_all()
    assert db.get(Org, bank.nj_sub.id).path == f"{bank.sz.path}{bank.nj_sub.id}/"  # type: ignore[union-attr]
    assert db.get(Org, child["id"]).path == f"{bank.sz.path}{bank.nj_sub.id}/{child['id']}/"  # type: ignore[union-attr]
    # The moved branch's customers now fall in Suzhou's scope.
    login(client, "sz_admin")
    assert bank.nj_sub.id in {c["id"] for c in client.get("/api/orgs/tree").json()[0]["children"]}


def test_move_refuses_cycles_and_foreign_targets(
    client: TestClient, bank: Bank, db: Session, clock: FrozenClock
) -> None:
    login(client, "admin")
    assert client.post(f"/api/orgs/{bank.nj.id}/move", json={"new_parent_id": bank.nj_sub.id}).status_code == 400
    assert client.post(f"/api/orgs/{bank.head.id}/move", json={"new_parent_id": bank.nj.id}).status_code == 400
    r = make_role(db, codes={"org.view", "org.move", "org.merge"})
    make_user(db, org=bank.nj, roles=[r], username="nj_orgs", now=clock.now())
    db.commit()
    login(client, "nj_orgs")
    assert client.post(f"/api/orgs/{bank.nj_sub.id}/move", json={"new_parent_id": bank.sz.id}).status_code == 404
    assert client.post(f"/api/orgs/{bank.nj_sub.id}/merge", json={"into_org_id": bank.sz_sub.id}).status_code == 404
    assert client.post(f"/api/orgs/{bank.sz_sub.id}/move", json={"new_parent_id": bank.nj.id}).status_code == 404


def test_merge_moves_customers_users_and_children(client: TestClient, bank: Bank, db: Session) -> None:
    login(client, "admin")
    child = _create(client, bank.nj_sub.id, "OUT2", level="outlet")
    manager_id = bank.users["nj_manager"].id
    r = client.post(f"/api/orgs/{bank.nj_sub.id}/merge", json={"into_org_id": bank.sz_sub.id})
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "closed" and r.json()["merged_into_id"] == bank.sz_sub.id
    db.expire_all()
    assert db.get(User, manager_id).org_id == bank.sz_sub.id  # type: ignore[union-attr]
    assert db.get(Customer, bank.customers["nj_other"].id).org_id == bank.sz_sub.id  # type: ignore[union-attr]
    assert db.get(Org, child["id"]).parent_id == bank.sz_sub.id  # type: ignore[union-attr]
    hist = client.get(f"/api/orgs/{bank.sz_sub.id}/history").json()
    assert hist[0]["action"] == "absorb" and hist[0]["detail"]["customers_moved"] == 2
    # A closed org takes no more changes.
    assert client.patch(f"/api/orgs/{bank.nj_sub.id}", json={"name": "x"}).status_code == 400


def test_close_only_when_empty(client: TestClient, bank: Bank) -> None:
    login(client, "admin")
    r = client.post(f"/api/orgs/{bank.nj_sub.id}/close")
    assert r.status_code == 409 and r.json()["details"]["customers"] == 2
    empty = _create(client, bank.nj.id, "EMPTY")
    assert client.post(f"/api/orgs/{empty['id']}/close").json()["status"] == "closed"


def test_branch_admin_without_org_rights_is_refused(client: TestClient, bank: Bank) -> None:
    login(client, "nj_admin")  # branch_admin holds org.view only
    r = client.post("/api/orgs", json={"code": "X9", "name": "x", "level": "outlet", "parent_id": bank.nj_sub.id})
    assert r.status_code == 403 and r.json()["code"] == "permission_denied"
