"""The customer 360 view and VIP tiers on a generated bank loaded through the real ETL: the figures
equal what the facts say, on DuckDB and on PostgreSQL."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bankcrm.auth.audit import SYSTEM_ACTOR
from bankcrm.clock import FrozenClock
from bankcrm.customers import tiers
from bankcrm.customers.models import Customer, TierChange
from bankcrm.etl import snapshot
from bankcrm.etl.models import RunStatus
from bankcrm.etl.service import run_load
from bankcrm.orgs.models import Org
from bankcrm.orgs.service import import_tree
from bankcrm.synth.generate import Options, generate
from bankcrm.warehouse import Warehouse

from ..builders import login, make_user, role

DATES = ("20260105", "20260106")


@pytest.fixture
def loaded(
    tmp_path: Path, db: Session, session_factory: sessionmaker[Session], clock: FrozenClock, client: TestClient
) -> Warehouse:
    out = tmp_path / "bank"
    generate(Options(customers=150, days=2, seed=5, out=out, start=DATES[0], dirty=0.0))
    import_tree(db, out / "org_tree.csv", now=clock.now())
    root = db.scalars(select(Org).where(Org.parent_id.is_(None))).one()
    make_user(db, org=root, roles=[role(db, "sysadmin")], username="hq", now=clock.now())
    db.commit()
    wh: Warehouse = client.app.state.warehouse()  # type: ignore[attr-defined]
    for d in DATES:
        run = run_load(session_factory, wh, out, d, actor=SYSTEM_ACTOR, clock=clock)
        assert run.status == RunStatus.published, run.message
    return wh


def test_overview_figures_come_from_the_facts(loaded: Warehouse, client: TestClient, db: Session) -> None:
    wh = loaded
    # A customer with savings accounts and the largest deposits.
    cid, deposits = wh.query("SELECT customer_id, deposits FROM s_customer_balance ORDER BY deposits DESC LIMIT 1")[0]
    login(client, "hq")
    r = client.get(f"/api/customers/{cid}/overview")
    assert r.status_code == 200, r.text
    o = r.json()
    assert Decimal(o["totals"]["deposits"]) == deposits
    expected = wh.scalar(
        """SELECT sum(f.balance) FROM f_sav_account f JOIN d_account_link l ON l.system = 'sav'
           AND l.account_no = f.account_no WHERE l.customer_id = :c AND f.business_date = DATE '2026-01-06'""",
        {"c": cid},
    ) or Decimal(0)
    sav = [a for a in o["accounts"] if a["system"] == "sav"]
    assert sum((Decimal(a["balance"] or 0) for a in sav), Decimal(0)) == expected
    assert [p["business_date"] for p in o["trend"]] == ["2026-01-05", "2026-01-06"]
    last = o["trend"][-1]
    assert Decimal(last["deposits"]) == deposits
    assert sum(Decimal(m["balance"]) for m in o["mix"] if m["kind"] == "deposit") == deposits
    txns = client.get(f"/api/customers/{cid}/transactions", params={"page_size": 5}).json()

    def facts(customer_id: int, since: str) -> int:
        return sum(
            int(
                wh.scalar(
                    f"SELECT count(*) FROM {table} t JOIN d_account_link l ON l.system = :s "
                    f"AND l.account_no = t.{col} WHERE l.customer_id = :c AND t.business_date >= CAST(:since AS DATE)",
                    {"s": system, "c": customer_id, "since": since},
                )
            )
            for system, table, col in snapshot.TXN_SOURCES
        )

    expected_txns = facts(cid, "2026-01-05")
    assert txns["total"] == expected_txns and len(txns["items"]) == min(5, expected_txns)
    dates = [t["txn_date"] for t in txns["items"]]
    assert dates == sorted(dates, reverse=True)
    past = client.get(f"/api/customers/{cid}/transactions", params={"page_size": 5, "page": 1000}).json()
    assert past == {"items": [], "total": expected_txns}  # a page past the end still tells the total

    # A window of one day, from the next build on: only the last date's transactions.
    both = wh.scalar(
        """SELECT min(customer_id) FROM (SELECT l.customer_id FROM f_sav_txn t JOIN d_account_link l
           ON l.system = 'sav' AND l.account_no = t.account_no GROUP BY l.customer_id
           HAVING count(DISTINCT t.business_date) = 2) x"""
    )
    assert client.get(f"/api/customers/{both}/transactions").json()["total"] == facts(both, "2026-01-05")
    r = client.put("/api/system/parameters/customer.recent_txn_days", json={"value": 1})
    assert r.status_code == 200, r.text
    snapshot.build(wh, DATES[-1], txn_days=1)
    assert client.get(f"/api/customers/{both}/transactions").json()["total"] == facts(both, "2026-01-06")
    assert facts(both, "2026-01-06") < facts(both, "2026-01-05")


def test_tiers_follow_the_parameters_and_keep_history(
    loaded: Warehouse, db: Session, clock: FrozenClock, client: TestClient
) -> None:
    wh = loaded
    login(client, "hq")

    def param(key: str, value: Decimal) -> None:
        assert client.put(f"/api/system/parameters/{key}", json={"value": str(value)}).status_code == 200

    top = wh.query("SELECT customer_id, aum_mtd_avg FROM s_customer_balance ORDER BY aum_mtd_avg DESC LIMIT 3")
    # Thresholds at the top customers' averages: the first is head-office VIP, the next province VIP...
    param("tier.hq_vip_min", top[0][1])
    param("tier.province_vip_min", top[1][1])
    param("tier.branch_vip_min", top[2][1])
    result = tiers.recompute(db, wh, DATES[-1], now=clock.now())
    db.commit()
    got = {c.id: c.tier for c in db.scalars(select(Customer).where(Customer.tier.is_not(None)))}
    assert got[top[0][0]] == "hq_vip" and got[top[1][0]] == "province_vip" and got[top[2][0]] == "branch_vip"
    assert result.tiered == len(got)
    # Raising the bar drops the first customer to province VIP; the change is kept.
    param("tier.hq_vip_min", top[0][1] + 1)
    tiers.recompute(db, wh, DATES[-1], now=clock.now())
    db.commit()
    db.expire_all()
    assert db.get(Customer, top[0][0]).tier == "province_vip"  # type: ignore[union-attr]
    history = db.scalars(select(TierChange).where(TierChange.customer_id == top[0][0]).order_by(TierChange.id)).all()
    assert [(h.old_tier, h.new_tier) for h in history][-1] == ("hq_vip", "province_vip")
    listed = client.post("/api/customers/search", json={"tier": "province_vip", "page_size": 200}).json()
    assert top[0][0] in {c["id"] for c in listed["items"]}
    assert client.post("/api/customers/search", json={"tier": "gold"}).status_code == 422


FULL_ID = re.compile(r"(?<![\dA-Z*])\d{17}[\dX](?![\dA-Z])|(?<!\d)\d{15}(?!\d)")
FULL_CARD = re.compile(r"(?<![\dA-Za-z*])\d{16,19}(?![\d*])")


def test_no_response_carries_a_full_id_or_card_number_without_the_unmask_right(
    loaded: Warehouse, client: TestClient, db: Session, clock: FrozenClock
) -> None:
    root = db.scalars(select(Org).where(Org.parent_id.is_(None))).one()
    make_user(db, org=root, roles=[role(db, "business_dept")], username="hq_dept", now=clock.now())
    db.commit()
    login(client, "hq_dept")
    ids = [r[0] for r in loaded.query("SELECT customer_id FROM s_customer_balance ORDER BY accounts DESC LIMIT 10")]
    cards = loaded.query("SELECT card_no FROM f_card_account LIMIT 1")
    bodies = [
        client.post("/api/customers/search", json={"page_size": 200}).text,
        client.post("/api/customers/search", json={"q": cards[0][0] if cards else "x"}).text,
    ]
    for cid in ids:
        client.patch(f"/api/customers/{cid}", json={"address": "江苏省南京市鼓楼区湖南路1号"})
        for url in ("", "/overview", "/transactions?page_size=200", "/records"):
            r = client.get(f"/api/customers/{cid}{url}")
            assert r.status_code == 200, (url, r.text)
            bodies.append(r.text)
    overview = client.get(f"/api/customers/{ids[0]}/overview").json()
    assert overview["accounts"] and overview["changes"]
    for text in bodies:
        assert not FULL_ID.search(text), FULL_ID.search(text)
        assert not FULL_CARD.search(text), FULL_CARD.search(text)
