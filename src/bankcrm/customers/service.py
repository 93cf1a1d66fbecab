"""Customer maintenance (CUS-1), evaluations / referrals / contacts (CUS-5) and customer managers
(CUS-6). Every function starts from a customer the caller may read (``repository.get``), validates,
changes, keeps the history and writes the audit record."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bankcrm.auth import audit
from bankcrm.auth.masking import FieldKind, mask
from bankcrm.auth.models import DataScope, User, UserStatus
from bankcrm.auth.principal import Principal
from bankcrm.auth.scope import account_within, get_org_in_scope, org_within
from bankcrm.customers import repository
from bankcrm.customers.models import (
    AccountLink,
    AccountUnlink,
    Customer,
    CustomerChange,
    CustomerManager,
    CustomerRecord,
    CustomerType,
    RecordKind,
)
from bankcrm.db import write_lock
from bankcrm.errors import BadRequest, Conflict, NotFound
from bankcrm.idnumbers import is_valid_resident_id, is_valid_uscc, normalize_resident_id
from bankcrm.orgs.models import Org
from bankcrm.system.service import code_exists
from bankcrm.warehouse import Query, Warehouse

MOBILE = re.compile(r"^1[3-9][0-9]{9}$")
LANDLINE = re.compile(r"^0[0-9]{2,3}-?[0-9]{7,8}$")
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,90}\.[A-Za-z]{2,}$")
EDITABLE = ("name", "id_type", "id_no", "phone", "address", "email", "industry")


def _check(c: Customer, values: dict[str, str | None], db: Session, *, new: bool = False) -> dict[str, str | None]:
    """Validated, normalised values; raises BadRequest naming the field.

    A new customer (``new``) is checked whole. A loaded record is checked for what the edit touches:
    the rules for new entries (a personal customer's phone, a corporate customer's industry, the ID's
    checksum) must not block correcting another field of a record loaded without them (fixing the
    e-mail of a customer the core system sent without a phone); clearing a required field is refused.
    """
    out: dict[str, str | None] = {}
    for field, raw in values.items():
        v = raw.strip() if isinstance(raw, str) else raw
        out[field] = v or None
    merged = {f: out.get(f, getattr(c, f)) for f in EDITABLE}

    def touched(*fields: str) -> bool:
        return new or any(f in out for f in fields)

    def bad(field: str, zh: str, en: str) -> BadRequest:
        return BadRequest(f"{zh} / {en}", code=f"invalid_{field}", details={"field": field})

    if touched("name") and not merged["name"]:
        raise bad("name", "客户名称必填", "the name is required")
    id_type, id_no = merged["id_type"], merged["id_no"]
    personal = c.type == CustomerType.personal
    if touched("id_type", "id_no"):
        if not id_type or not id_no:
            raise bad("id_no", "证件类型和号码必填", "the ID type and number are required")
        if not code_exists(db, "id_type", id_type):
            raise bad("id_type", "未知证件类型", "unknown ID type")
        if (id_type >= "200") == personal:
            raise bad("id_type", "证件类型与客户类型不符", "the ID type does not fit the customer type")
        if id_type == "101":
            if not is_valid_resident_id(id_no.upper()):
                raise bad("id_no", "居民身份证号码校验不通过", "the resident ID fails its checksum")
            if "id_no" in out:
                out["id_no"] = normalize_resident_id(id_no.upper())
        elif id_type == "201":
            if not is_valid_uscc(id_no.upper()):
                raise bad("id_no", "统一社会信用代码校验不通过", "the unified social credit code fails its check")
            if "id_no" in out:
                out["id_no"] = id_no.upper()
    phone = merged["phone"]
    if touched("phone"):
        if personal and not phone:
            raise bad("phone", "个人客户须有联系电话", "a personal customer needs a phone number")
        if phone and not (MOBILE.match(phone) or LANDLINE.match(phone)):
            raise bad("phone", "电话号码格式不正确", "not a mobile or landline number")
    if touched("email") and merged["email"] and not EMAIL.match(merged["email"]):
        raise bad("email", "电子邮箱格式不正确", "not an e-mail address")
    industry = merged["industry"]
    if touched("industry"):
        if not personal and not industry:
            raise bad("industry", "对公客户须填写行业", "a corporate customer needs an industry")
        if industry and not code_exists(db, "industry", industry):
            raise bad("industry", "未知行业代码", "unknown industry code")
    return out


def update_customer(
    db: Session, p: Principal, customer_id: int, values: dict[str, str | None], *, now: datetime
) -> Customer:
    c, _ = repository.get(db, p, customer_id)
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise BadRequest(f"不可修改的字段 / fields that cannot be edited: {sorted(unknown)}", code="invalid_field")
    clean = _check(c, values, db)
    if "id_type" in clean or "id_no" in clean:
        write_lock(db)  # SQLite: the duplicate check and the change in one serialised step
        id_type = clean.get("id_type", c.id_type)
        id_no = clean.get("id_no", c.id_no)
        twin = db.scalar(
            select(Customer.id).where(Customer.id_type == id_type, Customer.id_no == id_no, Customer.id != c.id)
        )
        if twin is not None:
            raise Conflict("该证件已属于另一客户 / another customer holds this ID", code="duplicate_id")
    changed = []
    for field, value in clean.items():
        old = getattr(c, field)
        if old == value:
            continue
        db.add(
            CustomerChange(
                customer_id=c.id, field=field, old_value=old, new_value=value, changed_at=now, changed_by=p.username
            )
        )
        setattr(c, field, value)
        changed.append(field)
    if changed:
        c.updated_at = now
        db.flush()
        # The audit names the fields, never their values (the history table keeps them).
        audit.append(
            db, p.actor, "customer.update", at=now, target_type="customer", target_id=c.id, detail={"fields": changed}
        )
    return c


def add_record(
    db: Session,
    p: Principal,
    customer_id: int,
    *,
    kind: RecordKind,
    record_date: date,
    channel: str | None,
    content: str,
    outcome: str | None,
    now: datetime,
) -> CustomerRecord:
    c, _ = repository.get(db, p, customer_id)
    if record_date > now.date():
        raise BadRequest("记录日期不能晚于今天 / the record date cannot be in the future", code="invalid_date")
    if channel and not code_exists(db, "channel", channel):
        raise BadRequest("未知渠道 / unknown channel", code="invalid_channel")
    r = CustomerRecord(
        customer_id=c.id,
        kind=kind,
        record_date=record_date,
        channel=channel,
        content=content.strip(),
        outcome=(outcome or "").strip() or None,
        created_at=now,
        created_by=p.username,
    )
    db.add(r)
    db.flush()
    audit.append(
        db, p.actor, f"customer.{kind.value}", at=now, target_type="customer", target_id=c.id, detail={"record": r.id}
    )
    return r


def set_managers(
    db: Session, p: Principal, customer_id: int, shares: list[tuple[int, Decimal]], *, start: date, now: datetime
) -> list[CustomerManager]:
    """Replace the customer's current managers: shares must sum to 100; assignments that end keep
    their history (end date), unchanged ones stay as they are."""
    c, _ = repository.get(db, p, customer_id)
    users = [u for u, _ in shares]
    if len(set(users)) != len(users):
        raise BadRequest("客户经理重复 / a manager is listed twice", code="duplicate_manager")
    if any(s <= 0 or s > 100 for _, s in shares):
        raise BadRequest("份额须在 0 到 100 之间 / each share is above 0 and at most 100", code="invalid_share")
    if shares and sum((s for _, s in shares), Decimal(0)) != Decimal(100):
        raise BadRequest("份额合计须为 100% / the shares must sum to 100%", code="shares_not_100")
    _check_managers(db, p, {c.org_id}, users)
    write_lock(db)  # SQLite: the current managers read under the lock (two replacements at once)
    current = list(
        db.scalars(
            select(CustomerManager).where(CustomerManager.customer_id == c.id, CustomerManager.end_date.is_(None))
        )
    )
    wanted = dict(shares)
    kept: list[CustomerManager] = []
    for m in current:
        if m.user_id in wanted and Decimal(str(m.share)) == wanted[m.user_id]:
            kept.append(m)
            del wanted[m.user_id]
        else:
            m.end_date = start if start >= m.start_date else m.start_date
    for user_id, share in wanted.items():
        m = CustomerManager(customer_id=c.id, user_id=user_id, share=share, start_date=start, end_date=None)
        db.add(m)
        kept.append(m)
    db.flush()
    audit.append(
        db,
        p.actor,
        "customer.managers",
        at=now,
        target_type="customer",
        target_id=c.id,
        detail={"managers": {str(u): str(s) for u, s in shares}, "start": start.isoformat()},
    )
    return kept


def _check_managers(db: Session, p: Principal, customer_orgs: set[int], users: list[int]) -> None:
    """Managers are active users whose org is within the caller's scope and on the org line (above,
    at or below) of every customer org given."""
    if not users:
        return
    found = {u.id: u for u in db.scalars(select(User).where(User.id.in_(users)))}
    paths = {
        o.id: o.path
        for o in db.scalars(select(Org).where(Org.id.in_(customer_orgs | {u.org_id for u in found.values()})))
    }
    for uid in users:
        u = found.get(uid)
        org = db.get(Org, u.org_id) if u else None
        if u is None or u.status != UserStatus.active or not org_within(p, org):
            raise NotFound(f"客户经理不存在 / manager {uid} not found")
        mine = paths[u.org_id]
        for cid in customer_orgs:
            if not (paths[cid].startswith(mine) or mine.startswith(paths[cid])):
                raise BadRequest(
                    f"客户经理 {u.username} 不在该客户的机构线上 / "
                    f"manager {u.username} is outside the customer's org line",
                    code="manager_outside_org",
                )


def transfer_book(db: Session, p: Principal, from_user: int, to_user: int, *, start: date, now: datetime) -> int:
    """Hand every current assignment of one manager (within the caller's scope) to another, with the
    same share; the old assignments end on ``start``. Returns the number of customers moved."""
    if from_user == to_user:
        raise BadRequest("移交双方相同 / the two managers are the same", code="same_manager")
    write_lock(db)  # SQLite: both books read under the lock (shares are added up)
    current = list(
        db.scalars(
            select(CustomerManager)
            .join(Customer, Customer.id == CustomerManager.customer_id)
            .where(
                CustomerManager.user_id == from_user,
                CustomerManager.end_date.is_(None),
                Customer.id.in_(repository.readable_ids(p)),
            )
        )
    )
    if not current:
        raise NotFound("该客户经理名下没有可移交的客户 / no customers to transfer")
    orgs = set(db.scalars(select(Customer.org_id).where(Customer.id.in_([m.customer_id for m in current]))))
    _check_managers(db, p, orgs, [to_user])
    # The receiving manager's current assignments, read once: a shared customer's shares add up.
    held = {
        m.customer_id: m
        for m in db.scalars(
            select(CustomerManager).where(CustomerManager.user_id == to_user, CustomerManager.end_date.is_(None))
        )
    }
    for m in current:
        m.end_date = start if start >= m.start_date else m.start_date
        existing = held.get(m.customer_id)
        if existing is not None:
            existing.share = Decimal(str(existing.share)) + Decimal(str(m.share))
        else:
            db.add(CustomerManager(customer_id=m.customer_id, user_id=to_user, share=m.share, start_date=start))
    db.flush()
    audit.append(
        db,
        p.actor,
        "customer.transfer_book",
        at=now,
        target_type="user",
        target_id=from_user,
        detail={"to_user": to_user, "customers": len(current)},
    )
    return len(current)


ACCOUNT_ORG = Query(
    "customers.account_org", "SELECT org_code FROM s_account_balance WHERE system = :s AND account_no = :a LIMIT 1"
)


def account_org(wh: Warehouse, system: str, account_no: str) -> tuple[bool, str | None]:
    """Whether the source account exists, and its own (source system's) org code."""
    rows = wh.query(ACCOUNT_ORG, {"s": system, "a": account_no})
    return (True, rows[0][0]) if rows else (False, None)


def attach_accounts(
    db: Session,
    wh: Warehouse,
    p: Principal,
    customer_id: int,
    accounts: list[tuple[str, str]],
    *,
    counts_for_assessment: bool,
    move: bool,
    now: datetime,
) -> int:
    """Link source accounts (found by a linked query) to the customer (CUS-2). Each account's own org
    must be in the caller's scope (``scope.account_within``), linked or not: otherwise it answers as
    an account that does not exist. An account linked to another customer is refused unless ``move``
    is set and that customer is in the caller's scope too. Returns the number of accounts attached or
    moved."""
    c, _ = repository.get(db, p, customer_id)
    if len(set(accounts)) != len(accounts):
        raise BadRequest("账户重复 / an account is listed twice", code="duplicate_account")
    write_lock(db)  # SQLite: who holds each account is read under the lock (a relink at the same time)
    readable = set(db.scalars(repository.readable_ids(p)))
    changed = 0
    conflicts: list[str] = []
    for system, account_no in accounts:
        exists, org_code = account_org(wh, system, account_no)
        if not exists or not account_within(db, p, system, org_code):
            # Another branch's account reads like one that does not exist (SEC-2).
            raise NotFound(f"账户不存在 / account not found ({system})")
        link = db.scalar(select(AccountLink).where(AccountLink.system == system, AccountLink.account_no == account_no))
        if link is not None and link.customer_id == c.id:
            link.counts_for_assessment = counts_for_assessment
            continue
        if link is not None:
            if link.customer_id not in readable:
                raise NotFound(f"账户不存在 / account not found ({system})")  # another side's: say nothing more
            if not move:
                conflicts.append(f"{system}:{mask(FieldKind.account_number, account_no)}")
                continue
            link.customer_id, link.method, link.linked_at, link.linked_by = c.id, "manual", now, p.username
            link.counts_for_assessment = counts_for_assessment
        else:
            db.add(
                AccountLink(
                    system=system,
                    account_no=account_no,
                    customer_id=c.id,
                    method="manual",
                    counts_for_assessment=counts_for_assessment,
                    linked_at=now,
                    linked_by=p.username,
                )
            )
        unlink = db.get(AccountUnlink, (system, account_no))
        if unlink is not None:
            db.delete(unlink)
        changed += 1
    if conflicts:
        raise Conflict(
            "账户已挂在其他客户名下（可选择改挂）/ accounts already linked to another customer (choose to move them)",
            code="linked_elsewhere",
            details={"accounts": conflicts},
        )
    db.flush()
    audit.append(
        db,
        p.actor,
        "customer.link",
        at=now,
        target_type="customer",
        target_id=c.id,
        detail={"accounts": changed, "counts_for_assessment": counts_for_assessment, "move": move},
    )
    return changed


def detach_accounts(
    db: Session, p: Principal, customer_id: int, accounts: list[tuple[str, str]], *, now: datetime
) -> int:
    """Un-assign accounts from the customer; later loads leave them unlinked until staff attach them."""
    c, _ = repository.get(db, p, customer_id)
    n = 0
    for system, account_no in accounts:
        link = db.scalar(
            select(AccountLink).where(
                AccountLink.system == system, AccountLink.account_no == account_no, AccountLink.customer_id == c.id
            )
        )
        if link is None:
            raise NotFound(f"该客户没有此账户 / the customer has no such account ({system})")
        db.delete(link)
        if db.get(AccountUnlink, (system, account_no)) is None:
            db.add(
                AccountUnlink(
                    system=system,
                    account_no=account_no,
                    former_customer_id=c.id,
                    unlinked_at=now,
                    unlinked_by=p.username,
                )
            )
        n += 1
    db.flush()
    audit.append(db, p.actor, "customer.unlink", at=now, target_type="customer", target_id=c.id, detail={"accounts": n})
    return n


def create_customer(
    db: Session,
    wh: Warehouse,
    p: Principal,
    *,
    type: CustomerType,
    org_id: int,
    values: dict[str, str | None],
    accounts: list[tuple[str, str]],
    counts_for_assessment: bool,
    move: bool,
    now: datetime,
) -> Customer:
    """建立客户: a new customer entered by staff (validated like maintenance) with the accounts picked
    from a linked query attached to it; all or nothing."""
    org = get_org_in_scope(db, p, org_id)
    blank = Customer(type=type, name="", id_type="", id_no="", org_id=org.id)
    for f in EDITABLE:
        setattr(blank, f, None)
    clean = _check(blank, values, db, new=True)
    id_type, id_no = clean.get("id_type"), clean.get("id_no")
    write_lock(db)  # SQLite: the duplicate check and the next customer number under the lock
    if db.scalar(select(Customer.id).where(Customer.id_type == id_type, Customer.id_no == id_no)) is not None:
        raise Conflict("该证件已属于另一客户 / another customer holds this ID", code="duplicate_id")
    number = (db.scalar(select(func.count()).select_from(Customer)) or 0) + 1
    while db.scalar(select(Customer.id).where(Customer.customer_no == f"C{number:011d}")) is not None:
        number += 1
    c = Customer(
        customer_no=f"C{number:011d}",
        type=type,
        org_id=org.id,
        source=None,
        created_at=now,
        updated_at=now,
        **{f: clean.get(f) for f in EDITABLE},
    )
    db.add(c)
    db.flush()
    if p.data_scope == DataScope.own:
        # A customer manager's new customer is in the manager's own book from the start.
        db.add(CustomerManager(customer_id=c.id, user_id=p.user_id, share=Decimal(100), start_date=now.date()))
        db.flush()
    audit.append(db, p.actor, "customer.create", at=now, target_type="customer", target_id=c.id)
    if accounts:
        attach_accounts(db, wh, p, c.id, accounts, counts_for_assessment=counts_for_assessment, move=move, now=now)
    return c
