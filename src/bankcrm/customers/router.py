"""HTTP routes of customers: the list with structured filters ("my customers" included) and its
export, the 360 view (audited), recent transactions, maintenance with history, evaluations /
referrals / contacts, customer managers and book transfers, and revealing one field (audited)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Request, Response
from sqlalchemy import bindparam, func, or_, select

from bankcrm.api.deps import DbSession, Now, requires
from bankcrm.auth import audit
from bankcrm.auth.models import Role, User, UserStatus, user_role
from bankcrm.auth.principal import Principal
from bankcrm.auth.scope import org_subtree_clause
from bankcrm.customers import holdings, repository, service
from bankcrm.customers.models import (
    AccountLink,
    Customer,
    CustomerChange,
    CustomerManager,
    CustomerRecord,
    RecordKind,
    TierChange,
)
from bankcrm.customers.schemas import (
    CUSTOMER_COLUMNS,
    AccountHoldingOut,
    AccountRefIn,
    ChangeOut,
    Customer360Out,
    CustomerCreateIn,
    CustomerDetailOut,
    CustomerListExportIn,
    CustomerListIn,
    CustomerOut,
    CustomerProfileOut,
    CustomerUpdateIn,
    LinkIn,
    LinkOut,
    ManagerCandidateOut,
    ManagerOut,
    ManagersIn,
    MixOut,
    RecordIn,
    RecordOut,
    RevealIn,
    RevealOut,
    TierChangeOut,
    TotalsOut,
    TransactionOut,
    TransferBookIn,
    TransferBookOut,
    TrendPointOut,
    UnlinkIn,
)
from bankcrm.etl.service import refresh_snapshot
from bankcrm.exports import XLSX_RESPONSE, check_size, xlsx_response
from bankcrm.logging import redact_text
from bankcrm.orgs.models import Org
from bankcrm.schemas import IdPath, Page, PageNoQuery, PageSizeQuery
from bankcrm.system.params import get_int, get_param

router = APIRouter(prefix="/api/customers", tags=["customers"])


def _fields(c: Customer, org_name: str) -> dict[str, object]:
    """The list fields as stored (masking happens when the response is serialised, once)."""
    return {
        "id": c.id,
        "customer_no": c.customer_no,
        "type": c.type,
        "name": c.name,
        "id_type": c.id_type,
        "id_no": c.id_no,
        "phone": c.phone,
        "org_id": c.org_id,
        "org_name": org_name,
        "tier": c.tier,
    }


def _out(c: Customer, org_name: str) -> CustomerOut:
    return CustomerOut.model_validate(_fields(c, org_name))


def _filters(body: CustomerListIn | CustomerListExportIn) -> dict[str, object]:
    return {
        "q": body.q or None,
        "type": body.type,
        "org_id": body.org_id,
        "tier": body.tier,
        "manager_id": body.manager_id,
        "mine": body.mine,
        "sort": body.sort,
        "order": body.order,
    }


@router.post("/search", operation_id="customers-search")
def search_customers(
    body: CustomerListIn, db: DbSession, p: Annotated[Principal, requires("customer.view")], now: Now
) -> Page[CustomerOut]:
    """A search, not a GET: what staff type (ID, phone, account numbers) must never land in a URL or log."""
    rows, total = repository.search(db, p, page=body.page, page_size=body.page_size, **_filters(body))  # type: ignore[arg-type]
    if body.q and repository.may_search_sensitive(p) and repository.SENSITIVE_QUERY.match(body.q):
        # Searches by number are audited (how many matched, never the number).
        audit.append(db, p.actor, "customer.search", at=now, detail={"by": "number", "matches": total})
    return Page[CustomerOut](items=[_out(c, org) for c, org in rows], total=total)


@router.post("/export", operation_id="customers-export", responses=XLSX_RESPONSE)
def export_customers(
    body: CustomerListExportIn,
    db: DbSession,
    p: Annotated[Principal, requires("customer.view", "data.export")],
    now: Now,
) -> Response:
    filters = _filters(body)
    _, total = repository.search(db, p, page=1, page_size=1, **filters)  # type: ignore[arg-type]
    check_size(db, total)
    rows, _ = repository.search(db, p, page=1, page_size=max(total, 1), **filters)  # type: ignore[arg-type]
    shown = {k: (redact_text(str(v)) if k == "q" else str(v)) for k, v in filters.items() if v not in (None, False)}
    return xlsx_response(
        db,
        p,
        what="customers",
        title="客户" if body.lang == "zh-CN" else "Customers",
        columns=CUSTOMER_COLUMNS,
        rows=[_out(c, org) for c, org in rows],
        purpose=body.purpose,
        lang=body.lang,
        filters=shown,
        now=now,
    )


@router.post("/transfer-book", operation_id="customers-transfer_book")
def transfer_book(
    body: TransferBookIn, db: DbSession, p: Annotated[Principal, requires("customer.assign")], now: Now
) -> TransferBookOut:
    """Hand a manager's whole book (the customers within the caller's scope) to another manager."""
    n = service.transfer_book(db, p, body.from_user_id, body.to_user_id, start=body.start_date, now=now)
    return TransferBookOut(customers=n)


@router.get("/manager-candidates", operation_id="customers-manager_candidates")
def manager_candidates(
    db: DbSession, p: Annotated[Principal, requires("customer.assign")], customer_id: int | None = None
) -> list[ManagerCandidateOut]:
    """Active operators in the caller's scope who hold the customer-manager role (the first 500 by org
    and name); with ``customer_id``, only those on that customer's org line (above, at or below its
    org), the ones its managers may be chosen from."""
    holds_role = (
        select(user_role.c.user_id)
        .join(Role, Role.id == user_role.c.role_id)
        .where(user_role.c.user_id == User.id, Role.code == "customer_manager")
        .exists()
    )
    query = (
        select(User, Org.name)
        .join(Org, Org.id == User.org_id)
        .where(User.status == UserStatus.active, org_subtree_clause(p), holds_role)
    )
    if customer_id is not None:
        c, _ = repository.get(db, p, customer_id)
        path = db.scalars(select(Org.path).where(Org.id == c.org_id)).one()
        # The org line: the customer's org, the orgs above it (the prefixes of its path) and below it.
        above = [path[: i + 1] for i, ch in enumerate(path) if ch == "/"]
        query = query.where(or_(Org.path.in_(above), Org.path.startswith(path, autoescape=True)))
    rows = db.execute(query.order_by(Org.path, User.username).limit(500)).all()
    return [
        ManagerCandidateOut(id=u.id, username=u.username, display_name=u.display_name, org_name=org) for u, org in rows
    ]


def _refs(request: Request, accounts: list[AccountRefIn]) -> list[tuple[str, str]]:
    out = []
    for a in accounts:
        if a.ref is not None:
            out.append(request.app.state.refs.read_account(a.ref))
        else:
            assert a.system is not None and a.account_no is not None
            out.append((a.system, a.account_no))
    return out


@router.post("", operation_id="customers-create", status_code=201)
def create_customer(
    body: CustomerCreateIn,
    request: Request,
    db: DbSession,
    p: Annotated[Principal, requires("customer.link")],
    now: Now,
) -> CustomerProfileOut:
    """建立客户 (CUS-2): a customer entered by staff, with accounts picked from a linked query."""
    values = {f: getattr(body, f) for f in ("name", "id_type", "id_no", "phone", "address", "email", "industry")}
    c = service.create_customer(
        db,
        request.app.state.warehouse(),
        p,
        type=body.type,
        org_id=body.org_id,
        values=values,
        accounts=_refs(request, body.accounts),
        counts_for_assessment=body.counts_for_assessment,
        move=body.move,
        now=now,
    )
    db.commit()
    if body.accounts:
        refresh_snapshot(request.app)
    _, org = repository.get(db, p, c.id)
    return _profile(c, org)


@router.get("/{customer_id:int}", operation_id="customers-get")
def get_customer(
    customer_id: IdPath, db: DbSession, p: Annotated[Principal, requires("customer.view")], now: Now
) -> CustomerDetailOut:
    c, org = repository.get(db, p, customer_id)
    if get_param(db, "audit.view_customer_detail"):
        audit.append(db, p.actor, "customer.view", at=now, target_type="customer", target_id=c.id)
    return CustomerDetailOut.model_validate(_fields(c, org) | {"address": c.address})


def _manager_out(m: CustomerManager, username: str, display_name: str) -> ManagerOut:
    return ManagerOut(
        id=m.id,
        user_id=m.user_id,
        username=username,
        display_name=display_name,
        share=m.share,
        start_date=m.start_date,
        end_date=m.end_date,
    )


def _profile(c: Customer, org: str) -> CustomerProfileOut:
    return CustomerProfileOut.model_validate(
        _fields(c, org)
        | {
            "address": c.address,
            "industry": c.industry,
            "email": c.email,
            "source": c.source,
            "created_at": c.created_at,
            "updated_at": c.updated_at,
        }
    )


# The 360 view's reads of the operational store, built once (building a statement costs more than
# running it); ``c`` is a customer already checked against the caller's scope.
LINK_FLAGS = select(AccountLink.system + ":" + AccountLink.account_no, AccountLink.counts_for_assessment).where(
    AccountLink.customer_id == bindparam("c")
)
MANAGERS = (
    select(CustomerManager, User.username, User.display_name)
    .join(User, User.id == CustomerManager.user_id)
    .where(CustomerManager.customer_id == bindparam("c"))
    .order_by(CustomerManager.end_date.is_not(None), CustomerManager.start_date.desc())
)
RECORDS = (
    select(CustomerRecord)
    .where(CustomerRecord.customer_id == bindparam("c"))
    .order_by(CustomerRecord.record_date.desc(), CustomerRecord.id.desc())
    .limit(100)
)
CHANGES = (
    select(CustomerChange)
    .where(CustomerChange.customer_id == bindparam("c"))
    .order_by(CustomerChange.id.desc())
    .limit(100)
)
TIERS = select(TierChange).where(TierChange.customer_id == bindparam("c")).order_by(TierChange.id.desc()).limit(50)


@router.get("/{customer_id:int}/overview", operation_id="customers-overview")
def customer_overview(
    customer_id: IdPath,
    request: Request,
    db: DbSession,
    p: Annotated[Principal, requires("customer.view")],
    now: Now,
) -> Customer360Out:
    """The customer 360 view (CUS-4): profile, every account across systems with balances, daily
    averages and details, totals, the trend over the loaded dates, the product mix, managers,
    evaluations / referrals / contacts, the change history and tier history. Audited."""
    c, org = repository.get(db, p, customer_id)
    if get_param(db, "audit.view_customer_detail"):
        audit.append(db, p.actor, "customer.view", at=now, target_type="customer", target_id=c.id)
    wh = request.app.state.warehouse()
    accounts = holdings.accounts(wh, c.id)
    counts = dict(db.execute(LINK_FLAGS, {"c": c.id}).all())
    totals = holdings.totals(wh, c.id)
    managers = db.execute(MANAGERS, {"c": c.id}).all()
    return Customer360Out(
        profile=_profile(c, org),
        totals=TotalsOut(**totals) if totals else None,
        accounts=[
            AccountHoldingOut(**a, counts_for_assessment=counts.get(f"{a['system']}:{a['account_no']}"))
            for a in accounts
        ],
        trend=[TrendPointOut(**t) for t in holdings.trend(wh, c.id)],
        mix=[MixOut(**m) for m in holdings.product_mix(accounts)],
        managers=[_manager_out(*m) for m in managers],
        records=[RecordOut.model_validate(r) for r in db.scalars(RECORDS, {"c": c.id})],
        changes=[ChangeOut.model_validate(x) for x in db.scalars(CHANGES, {"c": c.id})],
        tiers=[TierChangeOut.model_validate(x) for x in db.scalars(TIERS, {"c": c.id})],
    )


@router.get("/{customer_id:int}/transactions", operation_id="customers-transactions")
def customer_transactions(
    customer_id: IdPath,
    request: Request,
    db: DbSession,
    p: Annotated[Principal, requires("customer.view")],
    page: PageNoQuery = 1,
    page_size: PageSizeQuery = 20,
) -> Page[TransactionOut]:
    """Deposit and card transactions of the customer's accounts over the recent days (a parameter)."""
    c, _ = repository.get(db, p, customer_id)
    wh = request.app.state.warehouse()
    totals = holdings.totals(wh, c.id)
    rows, total = holdings.transactions(
        wh,
        c.id,
        as_of=totals["as_of"] if totals else None,
        days=get_int(db, "customer.recent_txn_days"),
        page=page,
        page_size=page_size,
    )
    return Page[TransactionOut](items=[TransactionOut(**r) for r in rows], total=total)


@router.patch("/{customer_id:int}", operation_id="customers-update")
def update_customer(
    customer_id: IdPath,
    body: CustomerUpdateIn,
    db: DbSession,
    p: Annotated[Principal, requires("customer.edit")],
    now: Now,
) -> CustomerProfileOut:
    # Attributes, not model_dump(): dumping would apply the masking serialisers to the typed values.
    values = {k: getattr(body, k) for k in body.model_fields_set}
    c = service.update_customer(db, p, customer_id, values, now=now)
    _, org = repository.get(db, p, c.id)
    return _profile(c, org)


@router.post("/{customer_id:int}/records", operation_id="customers-add_record", status_code=201)
def add_record(
    customer_id: IdPath,
    body: RecordIn,
    db: DbSession,
    p: Annotated[Principal, requires("customer.record")],
    now: Now,
) -> RecordOut:
    r = service.add_record(
        db,
        p,
        customer_id,
        kind=body.kind,
        record_date=body.record_date,
        channel=body.channel,
        content=body.content,
        outcome=body.outcome,
        now=now,
    )
    return RecordOut.model_validate(r)


@router.get("/{customer_id:int}/records", operation_id="customers-records")
def list_records(
    customer_id: IdPath,
    db: DbSession,
    p: Annotated[Principal, requires("customer.view")],
    kind: RecordKind | None = None,
    page: PageNoQuery = 1,
    page_size: PageSizeQuery = 20,
) -> Page[RecordOut]:
    c, _ = repository.get(db, p, customer_id)
    stmt = select(CustomerRecord).where(CustomerRecord.customer_id == c.id)
    if kind:
        stmt = stmt.where(CustomerRecord.kind == kind)
    total = db.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = db.scalars(
        stmt.order_by(CustomerRecord.record_date.desc(), CustomerRecord.id.desc())
        .offset((page - 1) * page_size)
        .limit(page_size)
    )
    return Page[RecordOut](items=[RecordOut.model_validate(r) for r in rows], total=total)


@router.put("/{customer_id:int}/managers", operation_id="customers-set_managers")
def set_managers(
    customer_id: IdPath,
    body: ManagersIn,
    db: DbSession,
    p: Annotated[Principal, requires("customer.assign")],
    now: Now,
) -> list[ManagerOut]:
    """Replace the current managers (shares summing to 100%); ended assignments stay as history."""
    kept = service.set_managers(
        db, p, customer_id, [(m.user_id, m.share) for m in body.managers], start=body.start_date, now=now
    )
    names = {
        uid: (username, display)
        for uid, username, display in db.execute(
            select(User.id, User.username, User.display_name).where(User.id.in_([m.user_id for m in kept]))
        )
    }
    return [_manager_out(m, *names[m.user_id]) for m in kept]


@router.post("/{customer_id:int}/links", operation_id="customers-link")
def link_accounts(
    customer_id: IdPath,
    body: LinkIn,
    request: Request,
    db: DbSession,
    p: Annotated[Principal, requires("customer.link")],
    now: Now,
) -> LinkOut:
    """Attach accounts (from a linked query) to the customer, counting for assessment or watch only."""
    n = service.attach_accounts(
        db,
        request.app.state.warehouse(),
        p,
        customer_id,
        _refs(request, body.accounts),
        counts_for_assessment=body.counts_for_assessment,
        move=body.move,
        now=now,
    )
    db.commit()
    refresh_snapshot(request.app)
    return LinkOut(accounts=n)


@router.post("/{customer_id:int}/links/remove", operation_id="customers-unlink")
def unlink_accounts(
    customer_id: IdPath,
    body: UnlinkIn,
    request: Request,
    db: DbSession,
    p: Annotated[Principal, requires("customer.link")],
    now: Now,
) -> LinkOut:
    """Un-assign accounts: they stay unlinked at later loads until attached again."""
    n = service.detach_accounts(db, p, customer_id, _refs(request, body.accounts), now=now)
    db.commit()
    refresh_snapshot(request.app)
    return LinkOut(accounts=n)


@router.post("/{customer_id:int}/reveal", operation_id="customers-reveal")
def reveal_field(
    customer_id: IdPath,
    body: RevealIn,
    db: DbSession,
    p: Annotated[Principal, requires("customer.reveal")],
    now: Now,
) -> RevealOut:
    c, _ = repository.get(db, p, customer_id)
    audit.append(
        db,
        p.actor,
        "customer.reveal",
        at=now,
        target_type="customer",
        target_id=c.id,
        detail={"field": body.field, "purpose": body.purpose},
    )
    return RevealOut(field=body.field, value=getattr(c, body.field))
