"""Identity resolution (ETL-6) and org unification (ETL-7) after a business date is published.

Every source record (CIF customers and every account, loan, card, holding and fund account) names its
holder by ID type and number. The engine normalises the numbers over whole columns (15-digit resident
IDs upgraded to 18, checksums were verified by the loader), then, per distinct identity, this module
finds or creates the unified customer and links each source record to it, remembering how. A name is
never enough to link: a new customer whose name and org match an existing customer under another ID
goes to the review list instead. One ID under several names, and an account that now names another
holder, are raised as data-quality issues.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from bankcrm.auth import audit
from bankcrm.auth.audit import SYSTEM_ACTOR
from bankcrm.auth.principal import Actor
from bankcrm.customers.models import AccountLink, AccountUnlink, Customer, CustomerChange, CustomerType
from bankcrm.db import write_lock
from bankcrm.etl.layouts import FEEDS, Feed
from bankcrm.etl.loader import fact_table, parse_business_date
from bankcrm.etl.models import DqIssue, DqStatus
from bankcrm.etl.rules import RESIDENT_WEIGHTS, q
from bankcrm.orgs.models import Org, OrgMapping, OrgMappingRule
from bankcrm.warehouse import Query, Warehouse

SYSTEM_USER = SYSTEM_ACTOR.username


def holder_feeds() -> list[tuple[Feed, str]]:
    """(feed, the column that identifies its record) for every feed naming a holder."""
    out = []
    for f in FEEDS:
        names = [c.name for c in f.columns]
        if "id_no" in names and f.per_day == "snapshot":
            out.append((f, "cust_id" if f.name == "customer" else f.key[0]))
    return out


def _norm_id(col: str) -> str:
    """18-digit form of a 15-digit resident ID; upper case otherwise (SQL over whole columns)."""
    first17 = f"(substr({col}, 1, 6) || '19' || substr({col}, 7, 9))"
    terms = " + ".join(f"{w} * (ascii(substr({first17}, {i + 1}, 1)) - 48)" for i, w in enumerate(RESIDENT_WEIGHTS))
    check = f"substr('10X98765432', (({terms}) % 11) + 1, 1)"
    return f"(CASE WHEN id_type = '101' AND length({col}) = 15 THEN {first17} || {check} ELSE upper({col}) END)"


def _holders() -> str:
    parts = []
    for f, ref in holder_feeds():
        name = "name" if f.name == "customer" else "cust_name"
        parts.append(
            f"SELECT '{f.system}' AS system, {q(ref)} AS ref, id_type, id_no, {_norm_id('id_no')} AS norm_id, "
            f"{q(name)} AS name, org_code, {1 if f.system == 'cif' else 0} AS from_cif, "
            + ("phone, address " if f.system == "cif" else "NULL AS phone, NULL AS address ")
            + f"FROM {fact_table(f)} WHERE business_date = :d"
        )
    return f"WITH holders AS ({' UNION ALL '.join(parts)})"


# The name, system and org of an identity come from the customer master (CIF) when it has it: the
# first of its records in that order (a window, which every engine orders the same way).
_FIRST = "OVER (PARTITION BY id_type, norm_id ORDER BY from_cif DESC, system, ref)"
IDENTITIES = Query(
    "identity.identities",
    f"""{_holders()},
    ranked AS (
        SELECT *, first_value(name) {_FIRST} AS first_name, first_value(system) {_FIRST} AS first_system,
               first_value(org_code) {_FIRST} AS first_org_code
        FROM holders)
    SELECT id_type, norm_id, max(first_name) AS name, max(first_system) AS system,
           max(first_org_code) AS org_code, array_agg(DISTINCT trim(name)) AS names,
           max(phone) AS phone, max(address) AS address
    FROM ranked GROUP BY id_type, norm_id ORDER BY id_type, norm_id""",
)
LINKS = Query(
    "identity.links",
    f"""{_holders()}
    SELECT DISTINCT system, ref, id_type, norm_id, id_no <> norm_id AS upgraded FROM holders ORDER BY system, ref""",
)
ACCOUNT_ORGS = Query(
    "identity.account_orgs",
    f"""{_holders()}
    SELECT system, org_code, count(*) AS n FROM holders WHERE from_cif = 0 GROUP BY system, org_code""",
)
"""The date's source accounts (every holder record but the customer master's) per system and org code."""
ORG_FEEDS = [f for f in FEEDS if f.name == "org"]
ORG_CODE_FEEDS = [
    f for f in FEEDS if f.name != "org" and "org_code" in [c.name for c in f.columns] and f.per_day == "snapshot"
]
ORG_NAMES = {
    f.code: Query(
        f"identity.org_names.{f.code}", f"SELECT org_code, org_name FROM {fact_table(f)} WHERE business_date = :d"
    )
    for f in ORG_FEEDS
}
ORG_CODES = {
    f.code: Query(
        f"identity.org_codes.{f.code}", f"SELECT DISTINCT org_code FROM {fact_table(f)} WHERE business_date = :d"
    )
    for f in ORG_CODE_FEEDS
}


@dataclass
class Resolution:
    customers_created: int = 0
    customers_updated: int = 0
    """Existing customers moved out of head office: their source org code is mapped now."""
    links_created: int = 0
    links_review: int = 0
    """Links sent to staff for review (same-name matches under another ID, accounts naming another holder)."""
    issues_raised: int = 0
    orgs_unmapped: int = 0
    accounts_unmapped: int = 0
    """Source accounts of the date whose org code maps to no org (their holders stand at head office)."""
    details: dict[str, int] = field(default_factory=dict)
    open_keys: dict[str, set[str]] = field(default_factory=dict, repr=False)  # per issue kind, see _raise


def _raise(db: Session, result: Resolution, kind: str, key: str, bd: str, now: datetime, **kw: object) -> None:
    """Open an issue unless one of the kind and key is open. The open keys of a kind are read once per
    resolution: a large bank raises many thousands (same-name reviews), one query each would not do."""
    open_keys = result.open_keys.get(kind)
    if open_keys is None:
        open_keys = result.open_keys[kind] = set(
            db.scalars(select(DqIssue.key).where(DqIssue.kind == kind, DqIssue.status == DqStatus.open))
        )
    if key not in open_keys:
        open_keys.add(key)
        db.add(DqIssue(kind=kind, key=key, business_date=bd, created_at=now, detail=kw.pop("detail", {}), **kw))
        result.issues_raised += 1


def unify_orgs(db: Session, wh: Warehouse, bd: str, now: datetime, result: Resolution) -> None:
    """Map every source org code seen on the date onto the tree: the same code maps by itself,
    others wait for staff and are reported."""
    d = parse_business_date(bd)
    seen: dict[tuple[str, str], str | None] = {}
    for f in FEEDS:
        if f.code in ORG_NAMES:
            for code, name in wh.query(ORG_NAMES[f.code], {"d": d}):
                seen[(f.system, code)] = name
        elif f.code in ORG_CODES:
            for (code,) in wh.query(ORG_CODES[f.code], {"d": d}):
                seen.setdefault((f.system, code), None)
    by_code = {o.code: o.id for o in db.scalars(select(Org))}
    known = {(m.system, m.src_code): m for m in db.scalars(select(OrgMapping))}
    rules = {r.system: r for r in db.scalars(select(OrgMappingRule))}
    for (system, code), name in seen.items():
        m = known.get((system, code))
        if m is None:
            org_id = by_code.get(code)
            m = OrgMapping(
                system=system,
                src_code=code,
                src_name=name,
                org_id=org_id,
                method="same_code" if org_id else None,
                updated_at=now,
            )
            db.add(m)
            known[(system, code)] = m
        rule = rules.get(system)
        if m.org_id is None and rule is not None:
            target = rule.target(code)
            if target and target in by_code:
                m.org_id, m.method, m.updated_at = by_code[target], "rule", now
        if m.org_id is None:
            result.orgs_unmapped += 1
            _raise(
                db,
                result,
                "unmapped_org",
                f"{system}:{code}",
                bd,
                now,
                system=system,
                ref=code,
                detail={"src_name": name},
            )
    db.flush()


REHOME_ACTION = "customer.rehome"


def rehome(db: Session, identities: Iterable[tuple[str, str, str, str]], *, actor: Actor, now: datetime) -> int:
    """Move the customers that stand at head office for lack of an org mapping to the org their source
    code maps to now. ``identities`` are (ID type, normalised ID, system, org code) as ``IDENTITIES``
    gives them. Only customers the feeds created (``source`` set) and that no one has moved since
    (no recorded org change) are moved; each move is recorded in the customer's change history and the
    whole is audited. Returns the number moved (the caller commits)."""
    write_lock(db)  # SQLite: the read and the moves in one serialised step; PostgreSQL locks the rows
    root = db.scalar(select(Org.id).where(Org.parent_id.is_(None)))
    if root is None:
        return 0
    moved_before = select(CustomerChange.customer_id).where(CustomerChange.field == "org_id")
    at_root = {
        (t, n): i
        for t, n, i in db.execute(
            select(Customer.id_type, Customer.id_no, Customer.id)
            .where(
                Customer.org_id == root,
                Customer.source.is_not(None),
                Customer.merged_into_id.is_(None),
                Customer.id.not_in(moved_before),
            )
            .with_for_update()
        )
    }
    if not at_root:
        return 0
    mapping = {(m.system, m.src_code): m.org_id for m in db.scalars(select(OrgMapping)) if m.org_id is not None}
    moves: dict[int, list[int]] = {}
    for id_type, norm_id, system, org_code in identities:
        cid = at_root.pop((id_type, norm_id), None)
        target = mapping.get((system, org_code)) if cid is not None else None
        if cid is not None and target is not None and target != root:
            moves.setdefault(target, []).append(cid)
    changes: list[dict[str, object]] = []
    for target, ids in moves.items():
        for i in range(0, len(ids), 1000):
            chunk = ids[i : i + 1000]
            db.execute(update(Customer).where(Customer.id.in_(chunk)).values(org_id=target, updated_at=now))
        changes += [
            {
                "customer_id": cid,
                "field": "org_id",
                "old_value": str(root),
                "new_value": str(target),
                "changed_at": now,
                "changed_by": actor.username,
            }
            for cid in ids
        ]
    if not changes:
        return 0
    db.execute(insert(CustomerChange), changes)
    db.flush()
    audit.append(
        db,
        actor,
        REHOME_ACTION,
        at=now,
        target_type="org",
        target_id=root,
        detail={"moved": len(changes), "to_orgs": {str(t): len(ids) for t, ids in sorted(moves.items())}},
    )
    return len(changes)


def resolve(db: Session, wh: Warehouse, business_date: str, *, now: datetime, actor: Actor | None = None) -> Resolution:
    result = Resolution()
    bd = business_date
    d = parse_business_date(bd)
    unify_orgs(db, wh, bd, now, result)
    identities = wh.query(IDENTITIES, {"d": d})
    links = wh.query(LINKS, {"d": d})

    mapping = {(m.system, m.src_code): m.org_id for m in db.scalars(select(OrgMapping))}
    result.accounts_unmapped = sum(
        int(n) for system, code, n in wh.query(ACCOUNT_ORGS, {"d": d}) if mapping.get((system, code)) is None
    )
    # Customers created at head office while their code was unmapped follow its mapping now.
    result.customers_updated = rehome(
        db, ((r[0], r[1], r[3], r[4]) for r in identities), actor=actor or SYSTEM_ACTOR, now=now
    )
    root = db.scalar(select(Org.id).where(Org.parent_id.is_(None)))
    # Plain tuples, not ORM objects: these maps cover every customer and link of the bank.
    # A record merged into another by staff keeps its ID: what names that ID now joins the survivor.
    existing = {
        (t, n): i
        for t, n, i in db.execute(
            select(Customer.id_type, Customer.id_no, func.coalesce(Customer.merged_into_id, Customer.id))
        )
    }
    # (name, org) -> the first customer known under it: an existing id, or the key of one created now.
    names_in_org: dict[tuple[str, int], int | tuple[str, str]] = {
        (n, o): i
        for n, o, i in db.execute(
            select(Customer.name, Customer.org_id, Customer.id).where(Customer.merged_into_id.is_(None))
        )
    }
    reviews: list[tuple[tuple[str, str], int | tuple[str, str]]] = []
    next_no = (db.scalar(select(func.count()).select_from(Customer)) or 0) + 1
    new_rows: list[dict[str, object]] = []
    for id_type, norm_id, name, system, org_code, names, phone, address in identities:
        org_id = mapping.get((system, org_code)) or root
        if len(names) > 1:
            _raise(
                db,
                result,
                "id_name_conflict",
                f"{id_type}:{norm_id}",
                bd,
                now,
                id_type=id_type,
                id_no=norm_id,
                customer_id=existing.get((id_type, norm_id)),
                detail={"names": sorted(names)},
            )
        if (id_type, norm_id) in existing:
            continue
        if org_id is None:
            continue  # no org tree at all: nothing can be placed (set-up incomplete)
        new_rows.append(
            {
                "customer_no": f"C{next_no:011d}",
                "type": CustomerType.corporate if id_type >= "200" else CustomerType.personal,
                "name": name.strip(),
                "id_type": id_type,
                "id_no": norm_id,
                "phone": phone,
                "address": address,
                "org_id": org_id,
                "source": system,
                "created_at": now,
                "updated_at": now,
            }
        )
        next_no += 1
        twin = names_in_org.setdefault((name.strip(), org_id), (id_type, norm_id))
        if twin != (id_type, norm_id):
            reviews.append(((id_type, norm_id), twin))
            result.links_review += 1
    if new_rows:
        # A multi-row insert (a new bank creates a million customers on its first load), then the new ids
        # read back by key: RETURNING over a million rows costs more than the insert itself.
        # By the customer numbers this load generated: a customer staff create meanwhile may share a key.
        before = db.scalar(select(func.max(Customer.id))) or 0
        db.execute(insert(Customer), new_rows)
        keys = {str(r["customer_no"]): (str(r["id_type"]), str(r["id_no"])) for r in new_rows}
        for no, new_id in db.execute(select(Customer.customer_no, Customer.id).where(Customer.id > before)):
            if no in keys:
                existing[keys[no]] = new_id
    for (id_type, norm_id), twin in reviews:
        twin_id = twin if isinstance(twin, int) else existing[twin]
        _raise(
            db,
            result,
            "name_match_review",
            f"{id_type}:{norm_id}",
            bd,
            now,
            id_type=id_type,
            id_no=norm_id,
            customer_id=existing[(id_type, norm_id)],
            detail={"same_name_customer_id": twin_id},
        )
    result.customers_created = len(new_rows)

    linked = {
        (s, a): c for s, a, c in db.execute(select(AccountLink.system, AccountLink.account_no, AccountLink.customer_id))
    }
    # Accounts staff took off their customer stay unlinked until staff attach them again.
    unlinked = {(s, a) for s, a in db.execute(select(AccountUnlink.system, AccountUnlink.account_no))}
    # Links staff set by hand (relinked, merged) are their decision: the feed does not reopen them.
    by_staff = {
        (s, a)
        for s, a in db.execute(
            select(AccountLink.system, AccountLink.account_no).where(AccountLink.method.in_(("manual", "merged")))
        )
    }
    new_links: list[dict[str, object]] = []
    for system, ref, id_type, norm_id, upgraded in links:
        cid = existing.get((id_type, norm_id))
        if cid is None or (system, ref) in unlinked:
            continue
        old = linked.get((system, ref))
        if old is None:
            method = "id_upgraded" if upgraded else ("uscc" if id_type == "201" else "id")
            new_links.append(
                {
                    "system": system,
                    "account_no": ref,
                    "customer_id": cid,
                    "method": method,
                    "linked_at": now,
                    "linked_by": SYSTEM_USER,
                }
            )
            linked[(system, ref)] = cid
            result.links_created += 1
        elif old != cid and (system, ref) not in by_staff:
            result.links_review += 1
            _raise(
                db,
                result,
                "link_changed",
                f"{system}:{ref}",
                bd,
                now,
                system=system,
                ref=ref,
                id_type=id_type,
                id_no=norm_id,
                customer_id=old,
                detail={"now_names_customer_id": cid},
            )
    if new_links:
        db.execute(insert(AccountLink), new_links)
    db.flush()
    return result
