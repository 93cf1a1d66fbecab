"""Operators and roles are administered inside the caller's subtree, never beyond their own rights."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bankcrm.auth.models import AuditRecord, DataScope, User
from bankcrm.clock import FrozenClock

from ..builders import Bank, login, make_role, make_user, role


def audit_count(db: Session) -> int:
    return db.scalar(select(func.count()).select_from(AuditRecord)) or 0


class TestCreateUser:
    def test_branch_admin_creates_user_in_subtree(self, client: TestClient, bank: Bank, db: Session) -> None:
        login(client, "nj_admin")
        r = client.post(
            "/api/users",
            json={
                "username": "gl_new",
                "display_name": "新员工",
                "org_id": bank.nj_sub.id,
                "role_ids": [role(db, "customer_manager").id],
            },
        )
        assert r.status_code == 201, r.text
        body = r.json()
        assert body["user"]["must_change_password"] is True
        pw = body["initial_password"]
        assert len(pw) >= 12
        # The new user can sign in with it and must change it.
        other = TestClient(client.app)
        r = other.post("/api/auth/login", json={"username": "gl_new", "password": pw})
        assert r.status_code == 200 and r.json()["user"]["must_change_password"] is True

    def test_branch_admin_refused_outside_subtree(self, client: TestClient, bank: Bank, db: Session) -> None:
        login(client, "nj_admin")
        before = audit_count(db)
        for org in (bank.sz, bank.sz_sub, bank.province, bank.head):
            r = client.post(
                "/api/users",
                json={"username": f"outside{org.id}", "display_name": "x", "org_id": org.id, "role_ids": []},
            )
            assert r.status_code == 404, r.text
        assert db.scalar(select(func.count()).select_from(User).where(User.username.like("outside%"))) == 0
        assert audit_count(db) == before

    def test_cannot_grant_a_role_wider_than_own(self, client: TestClient, bank: Bank, db: Session) -> None:
        login(client, "nj_admin")
        for code in ("sysadmin", "auditor"):  # codes (audit.verify, ...) or scope (all) the branch admin lacks
            r = client.post(
                "/api/users",
                json={"username": "yy1", "display_name": "y", "org_id": bank.nj.id, "role_ids": [role(db, code).id]},
            )
            assert r.status_code == 403 and r.json()["code"] == "grant_exceeds_own", code

    def test_duplicate_user_name(self, client: TestClient, bank: Bank) -> None:
        login(client, "nj_admin")
        r = client.post("/api/users", json={"username": "nj_manager", "display_name": "x", "org_id": bank.nj.id})
        assert r.status_code == 409

    def test_list_only_shows_subtree(self, client: TestClient, bank: Bank) -> None:
        login(client, "nj_admin")
        names = {u["username"] for u in client.get("/api/users?page_size=200").json()["items"]}
        assert names == {"nj_admin", "nj_president", "nj_manager"}

    def test_other_branch_user_ids_are_not_found(self, client: TestClient, bank: Bank) -> None:
        login(client, "nj_admin")
        sz_admin = bank.users["sz_admin"].id
        assert client.get(f"/api/users/{sz_admin}").status_code == 404
        for action in ("disable", "enable", "unlock", "reset-password"):
            assert client.post(f"/api/users/{sz_admin}/{action}").status_code == 404
        assert client.patch(f"/api/users/{sz_admin}", json={"display_name": "hacked"}).status_code == 404

    def test_cannot_move_a_user_out_of_subtree(self, client: TestClient, bank: Bank) -> None:
        login(client, "nj_admin")
        r = client.patch(f"/api/users/{bank.users['nj_manager'].id}", json={"org_id": bank.sz.id})
        assert r.status_code == 404

    def test_reset_password_forces_change(self, client: TestClient, bank: Bank) -> None:
        login(client, "nj_admin")
        r = client.post(f"/api/users/{bank.users['nj_manager'].id}/reset-password")
        assert r.status_code == 200 and r.json()["user"]["must_change_password"] is True

    def test_cannot_change_own_roles_or_disable_self(self, client: TestClient, bank: Bank, db: Session) -> None:
        login(client, "nj_admin")
        me = bank.users["nj_admin"].id
        r = client.patch(f"/api/users/{me}", json={"role_ids": [role(db, "customer_manager").id]})
        assert r.status_code == 403
        assert client.post(f"/api/users/{me}/disable").status_code == 403


class TestRoles:
    def test_create_role_with_own_codes(self, client: TestClient, bank: Bank) -> None:
        login(client, "nj_admin")
        r = client.post(
            "/api/roles",
            json={
                "code": "nj_viewer",
                "name": "南京查询",
                "name_en": "NJ viewer",
                "data_scope": "org",
                "permissions": ["user.view", "org.view"],
            },
        )
        assert r.status_code == 201, r.text
        assert r.json()["org_id"] == bank.nj.id

    def test_cannot_grant_codes_not_held(self, client: TestClient, bank: Bank) -> None:
        login(client, "nj_admin")
        r = client.post(
            "/api/roles",
            json={"code": "nj_x", "name": "x", "name_en": "x", "data_scope": "org", "permissions": ["customer.unmask"]},
        )
        assert r.status_code == 403 and r.json()["details"] == ["customer.unmask"]
        r = client.post(
            "/api/roles", json={"code": "nj_y", "name": "x", "name_en": "x", "data_scope": "all", "permissions": []}
        )
        assert r.status_code == 403

    def test_unknown_codes(self, client: TestClient, bank: Bank) -> None:
        login(client, "admin")
        r = client.post(
            "/api/roles",
            json={"code": "r_x", "name": "x", "name_en": "x", "data_scope": "org", "permissions": ["drop.tables"]},
        )
        assert r.status_code == 400 and r.json()["code"] == "unknown_permission"

    def test_other_branch_roles_invisible_and_builtin_immutable(
        self, client: TestClient, bank: Bank, db: Session
    ) -> None:
        sz = TestClient(client.app)
        login(sz, "sz_admin")
        rid = sz.post(
            "/api/roles",
            json={"code": "sz_r", "name": "苏州", "name_en": "SZ", "data_scope": "org", "permissions": ["user.view"]},
        ).json()["id"]
        login(client, "nj_admin")
        assert rid not in {r["id"] for r in client.get("/api/roles").json()}
        assert client.patch(f"/api/roles/{rid}", json={"name": "x"}).status_code == 404
        assert client.delete(f"/api/roles/{rid}").status_code == 404
        builtin = role(db, "customer_manager").id
        assert client.patch(f"/api/roles/{builtin}", json={"name": "x"}).status_code == 403

    def test_role_in_use_cannot_be_deleted(self, client: TestClient, bank: Bank) -> None:
        login(client, "nj_admin")
        rid = client.post(
            "/api/roles",
            json={"code": "nj_q", "name": "q", "name_en": "q", "data_scope": "org", "permissions": ["org.view"]},
        ).json()["id"]
        client.patch(f"/api/users/{bank.users['nj_president'].id}", json={"role_ids": [rid]})
        assert client.delete(f"/api/roles/{rid}").status_code == 409
        client.patch(f"/api/users/{bank.users['nj_president'].id}", json={"role_ids": []})
        assert client.delete(f"/api/roles/{rid}").status_code == 204

    def test_permission_catalog(self, client: TestClient, bank: Bank) -> None:
        login(client, "admin")
        codes = {p["code"] for p in client.get("/api/permissions").json()}
        assert {"customer.unmask", "user.create", "org.merge"} <= codes


class TestManagingMorePowerfulUsers:
    """Review finding: scope alone let a branch admin take over a stronger account in its branch."""

    def test_cannot_reset_or_disable_a_stronger_user_in_own_branch(
        self, client: TestClient, bank: Bank, db: Session, clock: FrozenClock
    ) -> None:
        strong = make_user(db, org=bank.nj, roles=[role(db, "sysadmin")], username="nj_sysadmin", now=clock.now())
        db.commit()
        login(client, "nj_admin")
        for action in ("reset-password", "disable", "unlock"):
            r = client.post(f"/api/users/{strong.id}/{action}")
            assert r.status_code == 403 and r.json()["code"] == "target_exceeds_own", action
        assert client.patch(f"/api/users/{strong.id}", json={"display_name": "x"}).status_code == 403

    def test_peer_administrators_are_managed_from_above(
        self, client: TestClient, bank: Bank, db: Session, clock: FrozenClock
    ) -> None:
        peer = make_user(db, org=bank.nj_sub, roles=[role(db, "branch_admin")], username="gl_admin", now=clock.now())
        db.commit()
        login(client, "nj_admin")
        r = client.post(f"/api/users/{peer.id}/reset-password")
        assert r.status_code == 403 and r.json()["code"] == "target_is_peer"
        login(client, "admin")
        assert client.post(f"/api/users/{peer.id}/reset-password").status_code == 200

    def test_branch_role_only_inside_its_branch(self, client: TestClient, bank: Bank, db: Session) -> None:
        login(client, "nj_admin")
        rid = client.post(
            "/api/roles",
            json={
                "code": "nj_only",
                "name": "南京",
                "name_en": "NJ",
                "data_scope": "org",
                "permissions": ["user.view"],
            },
        ).json()["id"]
        login(client, "admin")
        r = client.patch(f"/api/users/{bank.users['sz_admin'].id}", json={"role_ids": [rid]})
        assert r.status_code == 400 and r.json()["code"] == "role_outside_owner"

    def test_role_held_outside_the_callers_branch_cannot_be_edited(
        self, client: TestClient, bank: Bank, db: Session, clock: FrozenClock
    ) -> None:
        nj_role = make_role(db, codes={"user.view"}, scope=DataScope.org, org=bank.province)
        make_user(db, org=bank.sz, roles=[nj_role], username="sz_clerk", now=clock.now())
        nj_role.org_id = bank.nj.id  # as if the role's owner had been changed after the grant
        db.commit()
        login(client, "nj_admin")
        r = client.patch(f"/api/roles/{nj_role.id}", json={"permissions": ["user.view", "customer.view"]})
        assert r.status_code == 403 and r.json()["code"] == "role_held_outside"
