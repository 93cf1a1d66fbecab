"""Data scope (SEC-2), written once: the caller becomes a filter.

Every read of customer data starts from ``readable_customers(principal)``; every admin action
on orgs, users and roles checks ``org_within(principal, org)``; every link of a source account to a
customer checks the account's own org with ``account_within``. Nothing else decides scope.

- ``all``: everything.
- ``subtree``: the caller's org and everything below it (materialised path prefix).
- ``org``: the caller's org only.
- ``own``: customers the caller currently manages.

Administration (users, roles, orgs) is always bounded by the caller's org subtree, or by
nothing for ``all``; the narrower customer scopes do not narrow administration.
"""

from __future__ import annotations

from sqlalchemy import Select, and_, exists, false, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from bankcrm.auth.models import AuditRecord, DataScope, User
from bankcrm.auth.principal import Principal
from bankcrm.customers.models import Customer, CustomerManager
from bankcrm.errors import NotFound
from bankcrm.etl.models import DqIssue
from bankcrm.orgs.models import Org, OrgMapping
from bankcrm.warehouse.sql import Condition, always, in_list, never


def org_subtree_clause(principal: Principal) -> ColumnElement[bool]:
    """Orgs the caller may administer or see in the tree."""
    if principal.data_scope == DataScope.all:
        return Org.id.is_not(None)
    return Org.path.startswith(principal.org_path, autoescape=True)


def org_within(principal: Principal, org: Org | None) -> bool:
    if org is None:
        return False
    return principal.data_scope == DataScope.all or org.path.startswith(principal.org_path)


def readable_orgs(principal: Principal) -> Select[Org]:
    return select(Org).where(org_subtree_clause(principal))


def get_org_in_scope(db: Session, principal: Principal, org_id: int) -> Org:
    """The org if the caller may administer it; otherwise 404, as if it did not exist."""
    org = db.get(Org, org_id)
    if not org_within(principal, org):
        raise NotFound("机构不存在 / org not found")
    assert org is not None
    return org


def account_within(db: Session, principal: Principal, system: str, org_code: str | None) -> bool:
    """Whether the caller may link (attach, move, create a customer with) a source account whose own
    org is the source system's ``org_code``, whoever holds the account now (SEC-2): the code's mapped
    org must lie in the caller's org (``org`` scope) or subtree (``subtree``, and ``own``: a customer
    manager links the accounts of their org and its outlets). An account whose org is unknown or not
    mapped onto the tree may be linked by head-office scope (``all``) only."""
    if principal.data_scope == DataScope.all:
        return True
    if not org_code:
        return False
    org_id = db.scalar(select(OrgMapping.org_id).where(OrgMapping.system == system, OrgMapping.src_code == org_code))
    org = db.get(Org, org_id) if org_id is not None else None
    if org is None:
        return False
    if principal.data_scope == DataScope.org:
        return org.id == principal.org_id
    return org_within(principal, org)


def customer_clause(principal: Principal) -> ColumnElement[bool]:
    scope = principal.data_scope
    if scope == DataScope.all:
        return Customer.id.is_not(None)
    if scope == DataScope.subtree:
        return Customer.org_id.in_(select(Org.id).where(Org.path.startswith(principal.org_path, autoescape=True)))
    if scope == DataScope.org:
        return Customer.org_id == principal.org_id
    if scope == DataScope.own:
        return exists().where(
            and_(
                CustomerManager.customer_id == Customer.id,
                CustomerManager.user_id == principal.user_id,
                CustomerManager.end_date.is_(None),
            )
        )
    return false()


def readable_customers(principal: Principal) -> Select[Customer]:
    """Customers the caller may read; records merged into another (data-quality repairs) are history
    and never listed."""
    return select(Customer).where(customer_clause(principal), Customer.merged_into_id.is_(None))


def covers_whole_tree(db: Session, principal: Principal) -> bool:
    """Head-office scope: ``all``, or the subtree of the root org. Only such callers see records whose
    org cannot be known (a rejected line without a usable org code, an issue naming no customer)."""
    if principal.data_scope == DataScope.all:
        return True
    if principal.data_scope != DataScope.subtree:
        return False
    return bool(db.scalar(select(Org.id).where(Org.id == principal.org_id, Org.parent_id.is_(None))))


def dq_issue_clause(db: Session, principal: Principal) -> ColumnElement[bool]:
    """Data-quality issues the caller may see: those about a customer the caller may read; issues
    naming no customer (an unmapped source org code) for head-office scope only."""
    if covers_whole_tree(db, principal):
        return DqIssue.id.is_not(None)
    return DqIssue.customer_id.in_(select(Customer.id).where(customer_clause(principal)))


def warehouse_source_org_condition(db: Session, principal: Principal, system: str, column: str) -> Condition:
    """The caller's data scope over warehouse rows of one source system that carry the system's own org
    code in ``column`` (rejected lines): the codes mapped onto an org of the caller's subtree or org.
    Rows whose org is unknown (no code, an unmapped code) only for head-office scope; ``own`` (a
    caller's own customers) reaches no such row. A condition for ``Query.where`` and its values."""
    assert column.isidentifier(), column
    if covers_whole_tree(db, principal):
        return always(), {}
    scope = principal.data_scope
    if scope == DataScope.subtree:
        orgs = select(Org.id).where(org_subtree_clause(principal))
    elif scope == DataScope.org:
        orgs = select(Org.id).where(Org.id == principal.org_id)
    else:
        return never(), {}
    mapped = select(OrgMapping.src_code).where(OrgMapping.system == system, OrgMapping.org_id.in_(orgs))
    codes = list(db.scalars(mapped))
    if not codes:
        return never(), {}
    return in_list(column, "scope_orgs"), {"scope_orgs": codes}


def audit_clause(principal: Principal) -> ColumnElement[bool]:
    """Audit records the caller may read: all, or those of operators in the caller's subtree."""
    if principal.data_scope == DataScope.all:
        return AuditRecord.id.is_not(None)
    return AuditRecord.actor_user_id.in_(
        select(User.id).join(Org, Org.id == User.org_id).where(org_subtree_clause(principal))
    )


def warehouse_customer_condition(db: Session, principal: Principal, alias: str) -> Condition:
    """The caller's data scope as a condition over the warehouse's customer list (``d_customer``
    under ``alias``), with its bound values: the orgs of the caller's subtree or org, or the customers
    the caller manages now. Warehouse queries (linked queries, rankings) add it to their WHERE
    (``Query.where``); the rows they return are checked once more against the operational store by
    the caller."""
    assert alias.isidentifier(), alias
    scope = principal.data_scope
    if scope == DataScope.all:
        return always(), {}
    ids: list[int]
    column = f"{alias}.org_id"
    if scope == DataScope.subtree:
        ids = list(db.scalars(select(Org.id).where(org_subtree_clause(principal))))
    elif scope == DataScope.org:
        ids = [principal.org_id]
    elif scope == DataScope.own:
        column = f"{alias}.customer_id"
        ids = list(
            db.scalars(
                select(CustomerManager.customer_id).where(
                    CustomerManager.user_id == principal.user_id, CustomerManager.end_date.is_(None)
                )
            )
        )
    else:
        return never(), {}
    if not ids:
        return never(), {}
    return in_list(column, "scope_ids"), {"scope_ids": ids}
