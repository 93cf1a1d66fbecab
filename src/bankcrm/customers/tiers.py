"""VIP tiers (CUS-7): after each load every customer's tier is recomputed from the tier parameters
(a minimum of average assets per tier, the average being the month-, quarter- or year-to-date daily
average of deposits and wealth products); changes are kept in ``customer_tier_change``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from bankcrm.customers.models import Customer, TierChange
from bankcrm.system.params import get_param
from bankcrm.warehouse import Query, Warehouse

# Highest first; the keys name the parameters and the tier codes.
TIERS = ("hq_vip", "province_vip", "branch_vip")
BATCH = 1000  # ids per statement
LABELS = {
    "hq_vip": ("总行级VIP", "Head-office VIP"),
    "province_vip": ("省行级VIP", "Province VIP"),
    "branch_vip": ("支行级VIP", "Branch VIP"),
}


@dataclass
class TierRun:
    changed: int = 0
    tiered: int = 0


def thresholds(db: Session) -> list[tuple[str, Decimal]]:
    """(tier, minimum) highest tier first; a lower tier never needs more than a higher one."""
    out: list[tuple[str, Decimal]] = []
    for t in TIERS:
        m = Decimal(str(get_param(db, f"tier.{t}_min")))
        out.append((t, min([m, *(x for _, x in out)])))
    return out


def tier_of(basis: Decimal, rules: list[tuple[str, Decimal]]) -> str | None:
    for tier, minimum in rules:
        if basis >= minimum:
            return tier
    return None


AT_OR_ABOVE = {
    basis: Query(
        f"tiers.at_or_above.{basis}",
        f"SELECT customer_id, {basis} FROM s_customer_balance WHERE {basis} >= :m",  # noqa: S608 (declared once)
    )
    for basis in ("aum_mtd_avg", "aum_qtd_avg", "aum_ytd_avg")
}
"""Customers whose tier basis (parameter ``tier.basis``, one query per allowed column) reaches a tier."""
SET_TIER = Query("tiers.set_tier", "UPDATE d_customer SET tier = :t WHERE customer_id IN (:ids)")


def recompute(db: Session, wh: Warehouse, business_date: str, *, now: datetime) -> TierRun:
    rules = thresholds(db)
    basis_col = str(get_param(db, "tier.basis"))
    assert basis_col in AT_OR_ABOVE
    lowest = rules[-1][1]
    # Only customers at or above the lowest tier come back from the warehouse; everyone else is none.
    rows = wh.query(AT_OR_ABOVE[basis_col], {"m": lowest})
    new = {int(cid): (tier_of(Decimal(b), rules), Decimal(b)) for cid, b in rows}
    current = {cid: t for cid, t in db.execute(select(Customer.id, Customer.tier).where(Customer.tier.is_not(None)))}
    result = TierRun(tiered=len(new))
    changes: dict[int, tuple[str | None, str | None, Decimal]] = {}
    for cid, (tier, basis) in new.items():
        if current.get(cid) != tier:
            changes[cid] = (current.get(cid), tier, basis)
    for cid, old in current.items():
        if cid not in new:
            changes[cid] = (old, None, Decimal(0))
    # Checked in batches: a first load tiers hundreds of thousands (PostgreSQL takes 65,535 parameters).
    changed_ids = list(changes)
    known: set[int] = set()
    for i in range(0, len(changed_ids), BATCH):
        known.update(db.scalars(select(Customer.id).where(Customer.id.in_(changed_ids[i : i + BATCH]))))
    by_tier: dict[str | None, list[int]] = {}
    history: list[dict[str, object]] = []
    for cid, (old, tier, basis) in changes.items():
        if cid not in known:
            continue  # a customer removed since the snapshot
        by_tier.setdefault(tier, []).append(cid)
        history.append(
            {
                "customer_id": cid,
                "business_date": business_date,
                "old_tier": old,
                "new_tier": tier,
                "basis": basis,
                "changed_at": now,
            }
        )
    if history:
        db.execute(insert(TierChange), history)
    result.changed = len(history)
    for tier, ids in by_tier.items():
        for i in range(0, len(ids), BATCH):
            batch = ids[i : i + BATCH]
            db.execute(update(Customer).where(Customer.id.in_(batch)).values(tier=tier))
            # The warehouse's copy of the customer list (linked queries filter on tiers) follows.
            wh.execute(SET_TIER, {"t": tier, "ids": batch})
    db.flush()
    return result
