"""Builders with keyword arguments for test data, and a small bank to test scope against."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from itertools import count

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from bankcrm.auth.models import DataScope, Role, RolePermission, User, UserStatus
from bankcrm.auth.sessions import set_password
from bankcrm.customers.models import Customer, CustomerManager, CustomerType
from bankcrm.idnumbers import resident_check_digit
from bankcrm.orgs.models import Org, OrgLevel
from bankcrm.orgs.service import create_root

PASSWORD = "Str0ng!Passw0rd"
_seq = count(1)


def make_org(
    db: Session, *, parent: Org, level: OrgLevel, name: str | None = None, code: str | None = None, now: datetime
) -> Org:
    n = next(_seq)
    org = Org(
        code=code or f"T{n:05d}", name=name or f"测试机构{n}", level=level, parent_id=parent.id, path="", created_at=now
    )
    db.add(org)
    db.flush()
    org.path = f"{parent.path}{org.id}/"
    db.flush()
    return org


def role(db: Session, code: str) -> Role:
    return db.scalars(select(Role).where(Role.code == code)).one()


def make_role(db: Session, *, codes: set[str], scope: DataScope = DataScope.subtree, org: Org | None = None) -> Role:
    n = next(_seq)
    r = Role(
        code=f"r{n}",
        name=f"角色{n}",
        name_en=f"Role {n}",
        data_scope=scope,
        org_id=org.id if org else None,
        permissions=[RolePermission(code=c) for c in sorted(codes)],
    )
    db.add(r)
    db.flush()
    return r


def make_user(
    db: Session,
    *,
    org: Org,
    roles: list[Role],
    username: str | None = None,
    password: str = PASSWORD,
    must_change: bool = False,
    now: datetime,
) -> User:
    user = User(
        username=username or f"u{next(_seq)}",
        display_name="测试用户",
        org_id=org.id,
        password_hash="",
        status=UserStatus.active,
        created_at=now,
        roles=roles,
    )
    db.add(user)
    db.flush()
    set_password(db, user, password, now=now, must_change=must_change)
    return user


def resident_id(region: str = "320106", birth: str = "19850612", seq: str = "123") -> str:
    body = region + birth + seq
    return body + resident_check_digit(body)


def make_customer(
    db: Session,
    *,
    org: Org,
    manager: User | None = None,
    name: str = "张三",
    id_no: str | None = None,
    phone: str | None = "13812345678",
    address: str | None = "江苏省南京市鼓楼区湖南路1号",
    now: datetime,
) -> Customer:
    n = next(_seq)
    c = Customer(
        customer_no=f"TC{n:010d}",
        type=CustomerType.personal,
        name=name,
        id_type="101",
        id_no=id_no or resident_id(seq=f"{n % 1000:03d}"),
        phone=phone,
        address=address,
        org_id=org.id,
        created_at=now,
        updated_at=now,
    )
    db.add(c)
    db.flush()
    if manager is not None:
        db.add(CustomerManager(customer_id=c.id, user_id=manager.id, share=100, start_date=now.date()))
        db.flush()
    return c


@dataclass
class Bank:
    head: Org
    province: Org
    nj: Org
    sz: Org
    nj_sub: Org
    sz_sub: Org
    users: dict[str, User] = field(default_factory=dict)
    customers: dict[str, Customer] = field(default_factory=dict)


def make_bank(db: Session, *, now: datetime) -> Bank:
    """head → province → (nj → nj_sub), (sz → sz_sub); admins, managers and customers on each side."""
    head = create_root(db, "H0", "总行", now=now)
    province = make_org(db, parent=head, level=OrgLevel.province, name="江苏省分行", now=now)
    nj = make_org(db, parent=province, level=OrgLevel.city, name="南京分行", now=now)
    sz = make_org(db, parent=province, level=OrgLevel.city, name="苏州分行", now=now)
    nj_sub = make_org(db, parent=nj, level=OrgLevel.sub_branch, name="鼓楼支行", now=now)
    sz_sub = make_org(db, parent=sz, level=OrgLevel.sub_branch, name="园区支行", now=now)
    b = Bank(head, province, nj, sz, nj_sub, sz_sub)
    b.users["admin"] = make_user(db, org=head, roles=[role(db, "sysadmin")], username="admin", now=now)
    b.users["nj_admin"] = make_user(db, org=nj, roles=[role(db, "branch_admin")], username="nj_admin", now=now)
    b.users["sz_admin"] = make_user(db, org=sz, roles=[role(db, "branch_admin")], username="sz_admin", now=now)
    b.users["nj_president"] = make_user(db, org=nj, roles=[role(db, "president")], username="nj_president", now=now)
    b.users["nj_manager"] = make_user(
        db, org=nj_sub, roles=[role(db, "customer_manager")], username="nj_manager", now=now
    )
    b.users["auditor"] = make_user(db, org=head, roles=[role(db, "auditor")], username="auditor", now=now)
    b.customers["nj_managed"] = make_customer(db, org=nj_sub, manager=b.users["nj_manager"], name="李四", now=now)
    b.customers["nj_other"] = make_customer(db, org=nj_sub, name="王五", now=now)
    b.customers["sz"] = make_customer(db, org=sz_sub, name="赵六", now=now)
    return b


def login(client: TestClient, username: str, password: str = PASSWORD) -> str:
    """Sign in; returns the CSRF token and sets it as the client's default header."""
    r = client.post("/api/auth/login", json={"username": username, "password": password})
    assert r.status_code == 200, r.text
    token: str = r.json()["csrf_token"]
    client.headers["X-CSRF-Token"] = token
    return token
