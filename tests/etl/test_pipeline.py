"""The whole data path on a generated bank: generate, load every date, resolve identities.
The rows the loader rejects are exactly the dirty rows the generator planted."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bankcrm.auth.audit import SYSTEM_ACTOR
from bankcrm.clock import FrozenClock
from bankcrm.customers.models import AccountLink, Customer
from bankcrm.etl.identity import holder_feeds
from bankcrm.etl.loader import ensure_schema, fact_table
from bankcrm.etl.models import DqIssue, RunStatus
from bankcrm.etl.service import run_load
from bankcrm.orgs.models import Org, OrgMapping
from bankcrm.orgs.service import import_tree
from bankcrm.synth.generate import Options, generate
from bankcrm.warehouse import Query, Warehouse

from ..builders import login, make_user, role

# Dirty kinds that are data-quality findings, not invalid rows.
NOT_REJECTED = {"missing_phone", "two_id_formats"}


def test_generated_bank_loads_with_exactly_the_planted_rejects(
    wh: Warehouse, tmp_path: Path, db: Session, session_factory: sessionmaker[Session], clock: FrozenClock
) -> None:
    out = tmp_path / "bank"
    generate(Options(customers=400, days=2, seed=11, out=out, start="20260105", dirty=0.02))
    assert import_tree(db, out / "org_tree.csv", now=clock.now()) > 20
    db.commit()
    ensure_schema(wh)
    for bd in ("20260105", "20260106"):
        run = run_load(session_factory, wh, out, bd, actor=SYSTEM_ACTOR, clock=clock)
        assert run.status == RunStatus.published, run.message
        assert run.rows_received == run.rows_accepted + run.rows_rejected

    planted = set()
    with (out / "ground_truth.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["event"] != "dirty_record":
                continue
            detail = dict(kv.split("=", 1) for kv in row["detail"].split(";"))
            if detail["kind"] not in NOT_REJECTED:
                planted.add((row["business_date"], detail["feed"], int(detail["line"])))
    rejected = {
        (d.strftime("%Y%m%d"), feed, line)
        for d, feed, line in wh.query("SELECT business_date, feed, line_no FROM etl_reject")
    }
    assert planted and rejected == planted

    # The serving snapshot: latest balances and daily averages, per account and per customer.
    acct = wh.query(
        """SELECT b.account_no, b.balance, b.mtd_avg,
                  (SELECT avg(balance) FROM f_sav_account f WHERE f.account_no = b.account_no) AS expected_avg,
                  (SELECT balance FROM f_sav_account f WHERE f.account_no = b.account_no
                   AND f.business_date = DATE '2026-01-06') AS expected_balance
           FROM s_account_balance b WHERE b.system = 'sav' AND b.open_on_date LIMIT 50"""
    )
    assert acct and all(
        bal == exp_bal and abs(float(avg) - float(exp_avg)) < 0.01 for _, bal, avg, exp_avg, exp_bal in acct
    )
    total_deposits = wh.scalar("SELECT sum(deposits) FROM s_customer_balance")
    linked_deposits = wh.scalar(
        """SELECT sum(b.balance) FROM s_account_balance b JOIN d_account_link l USING (system, account_no)
           WHERE b.kind = 'deposit'"""
    )
    assert total_deposits == linked_deposits and total_deposits > 0

    customers = db.scalar(select(func.count()).select_from(Customer)) or 0
    assert 380 <= customers <= 410  # one per person; the two-format IDs join their owners
    assert db.scalar(select(func.count()).select_from(AccountLink).where(AccountLink.method == "id_upgraded"))

    # The planner knows what the load did: statistics gathered after the bulk inserts.
    if db.get_bind().dialect.name == "postgresql":
        from sqlalchemy import text

        analyzed = db.execute(
            text(
                "SELECT relname FROM pg_stat_user_tables WHERE schemaname = current_schema() "
                "AND last_analyze IS NOT NULL"
            )
        ).scalars()
        assert {"customer", "account_link"} <= set(analyzed)


def test_a_load_is_published_even_when_refreshing_statistics_fails(
    wh: Warehouse,
    tmp_path: Path,
    db: Session,
    session_factory: sessionmaker[Session],
    clock: FrozenClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from bankcrm.etl import service

    def fail(*_: object) -> None:
        raise RuntimeError("lock timeout")

    monkeypatch.setattr(service, "refresh_statistics", fail)
    out = tmp_path / "bank"
    generate(Options(customers=60, days=1, seed=3, out=out, start="20260105", dirty=0.0))
    import_tree(db, out / "org_tree.csv", now=clock.now())
    db.commit()
    ensure_schema(wh)
    run = run_load(session_factory, wh, out, "20260105", actor=SYSTEM_ACTOR, clock=clock)
    assert run.status == RunStatus.published, run.message
    assert (db.scalar(select(func.count()).select_from(Customer)) or 0) > 0


ROWS_BY_CODE = {
    f: Query(
        f"test.pipeline.rows.{f.code}",
        f"SELECT org_code, count(*) FROM {fact_table(f)} WHERE business_date = :d GROUP BY org_code",
    )
    for f, _ in holder_feeds()
    if f.system != "cif"
}


def test_a_load_summary_carries_what_identity_resolution_did(
    wh: Warehouse,
    tmp_path: Path,
    db: Session,
    session_factory: sessionmaker[Session],
    clock: FrozenClock,
    client: TestClient,
) -> None:
    out = tmp_path / "bank"
    generate(Options(customers=60, days=1, seed=5, out=out, start="20260105", dirty=0.02))
    import_tree(db, out / "org_tree.csv", now=clock.now())
    # The savings system's codes are known but mapped nowhere: its accounts are the unmapped ones.
    for code in db.scalars(select(Org.code)):
        db.add(OrgMapping(system="sav", src_code=code, org_id=None, updated_at=clock.now()))
    root = db.scalars(select(Org).where(Org.parent_id.is_(None))).one()
    make_user(db, org=root, roles=[role(db, "data_admin")], username="dataadm", now=clock.now())
    db.commit()
    login(client, "dataadm")
    ensure_schema(wh)
    run = run_load(session_factory, wh, out, "20260105", actor=SYSTEM_ACTOR, clock=clock)
    assert run.status == RunStatus.published, run.message
    day = date(2026, 1, 5)
    mapped = set(db.execute(select(OrgMapping.system, OrgMapping.src_code).where(OrgMapping.org_id.is_not(None))))
    sav_rows = sum(n for f, q in ROWS_BY_CODE.items() if f.system == "sav" for _, n in wh.query(q, {"d": day}))
    reviews = select(func.count()).select_from(DqIssue).where(DqIssue.kind.in_(("name_match_review", "link_changed")))
    expected = {
        "customers_created": db.scalar(select(func.count()).select_from(Customer)),
        "customers_updated": 0,
        "links_created": db.scalar(select(func.count()).select_from(AccountLink)),
        "accounts_unmapped": sum(
            n for f, q in ROWS_BY_CODE.items() for code, n in wh.query(q, {"d": day}) if (f.system, code) not in mapped
        ),
        "links_review": db.scalar(reviews),
    }
    assert expected["customers_created"] and expected["links_created"]
    assert expected["accounts_unmapped"] >= sav_rows > 0
    assert {k: getattr(run, k) for k in expected} == expected
    detail = client.get(f"/api/etl/runs/{run.id}").json()
    assert {k: detail[k] for k in expected} == expected and detail["failure"] is None

    # A date that fails says so, and that nothing was published.
    failed = run_load(session_factory, wh, out, "20260106", actor=SYSTEM_ACTOR, clock=clock)
    assert failed.status == RunStatus.failed
    answer = client.get(f"/api/etl/runs/{failed.id}").json()
    assert answer["failure"].startswith("失败：") and "未发布任何数据 / failed: " in answer["failure"]
    assert answer["failure"].endswith("; nothing published")
    assert (answer["customers_created"], answer["links_created"]) == (0, 0)
