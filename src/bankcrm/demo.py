"""A small demo installation: a province org tree, one login per built-in role, sample customers.

Deterministic, idempotent (does nothing when a head office exists). Demo logins share one
password and skip the forced first change so that a person trying the product can sign in.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bankcrm.auth import audit
from bankcrm.auth.models import Role, User, UserStatus
from bankcrm.auth.sessions import set_password
from bankcrm.clock import Clock
from bankcrm.customers.models import Customer, CustomerManager, CustomerType
from bankcrm.etl.layouts import FEEDS
from bankcrm.etl.loader import LoadFailed, latest_published
from bankcrm.etl.models import RunStatus
from bankcrm.etl.service import run_load
from bankcrm.idnumbers import resident_check_digit, uscc_check_char
from bankcrm.jobs import Jobs
from bankcrm.orgs.models import Org, OrgLevel
from bankcrm.orgs.service import create_root, import_tree
from bankcrm.synth.generate import Options, generate
from bankcrm.system.seed import bootstrap
from bankcrm.warehouse import Warehouse

DEMO_PASSWORD = "Demo#2026crm"
log = logging.getLogger("bankcrm.demo")

# (code, name, level, parent code)
ORGS: list[tuple[str, str, OrgLevel, str | None]] = [
    ("000000", "示范银行总行", OrgLevel.head, None),
    ("320000", "江苏省分行", OrgLevel.province, "000000"),
    ("320100", "南京分行", OrgLevel.city, "320000"),
    ("320500", "苏州分行", OrgLevel.city, "320000"),
    ("320106", "南京鼓楼支行", OrgLevel.sub_branch, "320100"),
    ("320102", "南京玄武支行", OrgLevel.sub_branch, "320100"),
    ("320571", "苏州工业园区支行", OrgLevel.sub_branch, "320500"),
    ("320508", "苏州姑苏支行", OrgLevel.sub_branch, "320500"),
    ("32010601", "鼓楼湖南路营业部", OrgLevel.outlet, "320106"),
    ("32057101", "园区星海街营业部", OrgLevel.outlet, "320571"),
]


@dataclass(frozen=True)
class DemoUser:
    username: str
    display_name: str
    org_code: str
    role: str


USERS: list[DemoUser] = [
    DemoUser("admin", "系统管理员", "000000", "sysadmin"),
    DemoUser("auditor", "审计员王敏", "000000", "auditor"),
    DemoUser("js_president", "江苏省分行行长", "320000", "president"),
    DemoUser("nj_admin", "南京分行系统管理员", "320100", "branch_admin"),
    DemoUser("sz_admin", "苏州分行系统管理员", "320500", "branch_admin"),
    DemoUser("nj_president", "南京分行行长", "320100", "president"),
    DemoUser("nj_business", "南京分行个人业务部", "320100", "business_dept"),
    DemoUser("gl_manager", "鼓楼支行客户经理李娜", "320106", "customer_manager"),
    DemoUser("gl_lobby", "鼓楼支行大堂经理", "320106", "lobby_manager"),
    DemoUser("xw_manager", "玄武支行客户经理周强", "320102", "customer_manager"),
    DemoUser("analyst", "数据分析员", "320000", "analyst"),
    DemoUser("dataops", "数据管理员", "000000", "data_admin"),
]

# The generated bank's sub-branches the logins above work at: they exist at any size of the bank.
LOGIN_BRANCHES = ("320106", "320102")

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"
REGIONS = {
    "320106": "320106",
    "320102": "320102",
    "320571": "320571",
    "320508": "320508",
    "32010601": "320106",
    "32057101": "320571",
}


def _resident_id(rng: random.Random, region: str) -> str:
    born = date(1950, 1, 1).toordinal() + rng.randrange(0, 365 * 50)
    body = region + date.fromordinal(born).strftime("%Y%m%d") + f"{rng.randrange(1000):03d}"
    return body + resident_check_digit(body)


def _uscc(rng: random.Random, region: str) -> str:
    body = "91" + region + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(9))
    return body + uscc_check_char(body)


def _create_users(db: Session, orgs: dict[str, Org], *, now: datetime, password: str) -> dict[str, User]:
    roles = {r.code: r for r in db.scalars(select(Role))}
    users: dict[str, User] = {}
    for u in USERS:
        user = User(
            username=u.username,
            display_name=u.display_name,
            org_id=orgs[u.org_code].id,
            password_hash="",
            status=UserStatus.active,
            created_at=now,
            roles=[roles[u.role]],
        )
        db.add(user)
        db.flush()
        set_password(db, user, password, now=now, must_change=False)
        users[u.username] = user
    return users


def build(db: Session, *, now: datetime, password: str = DEMO_PASSWORD, customers: int = 60) -> bool:
    """Create the demo installation; False when an org tree exists already."""
    bootstrap(db)
    if db.scalar(select(func.count()).select_from(Org)):
        return False
    orgs: dict[str, Org] = {}
    for code, name, level, parent in ORGS:
        if parent is None:
            orgs[code] = create_root(db, code, name, now=now)
            continue
        p = orgs[parent]
        org = Org(code=code, name=name, level=level, parent_id=p.id, path="", created_at=now)
        db.add(org)
        db.flush()
        org.path = f"{p.path}{org.id}/"
        orgs[code] = org
    users = _create_users(db, orgs, now=now, password=password)

    rng = random.Random(20261124)
    leaf_codes = list(REGIONS)
    for i in range(customers):
        org_code = leaf_codes[i % len(leaf_codes)]
        corporate = i % 6 == 5
        if corporate:
            name = (
                rng.choice(["南京", "苏州", "江苏"])
                + rng.choice(["恒通", "华信", "金陵", "天成", "瑞丰"])
                + rng.choice(["科技", "贸易", "建设", "制造", "物流"])
                + "有限公司"
            )
            id_type, id_no = "201", _uscc(rng, REGIONS[org_code])
        else:
            name = rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.6 else "")
            id_type, id_no = "101", _resident_id(rng, REGIONS[org_code])
        c = Customer(
            customer_no=f"C{i + 1:011d}",
            type=CustomerType.corporate if corporate else CustomerType.personal,
            name=name,
            id_type=id_type,
            id_no=id_no,
            phone=f"1{rng.choice('3589')}{rng.randrange(10**9):09d}",
            address=("江苏省南京市鼓楼区湖南路" if org_code.startswith("3201") else "江苏省苏州市工业园区星海街")
            + f"{rng.randrange(1, 300)}号",
            org_id=orgs[org_code].id,
            created_at=now,
            updated_at=now,
        )
        db.add(c)
        db.flush()
        if org_code in ("320106", "32010601") and i % 2 == 0:
            db.add(CustomerManager(customer_id=c.id, user_id=users["gl_manager"].id, share=100, start_date=now.date()))
    db.flush()
    audit.append(
        db,
        audit.SYSTEM_ACTOR,
        "system.demo_build",
        at=now,
        detail={"orgs": len(orgs), "users": len(users), "customers": customers},
    )
    return True


FIRST_DATES = 5
"""Business dates the generated demo loads before its server starts; the rest load in the server's job
runner while people already use it."""


@dataclass(frozen=True)
class Step:
    """One line of the demo's progress: ``what`` is generate, orgs, load, resolve, loaded or book."""

    what: str
    done: int
    total: int
    detail: str = ""


OnStep = Callable[[Step], None]


def feed_dates(feeds_dir: Path) -> list[str]:
    """The business dates the generated feeds hold, oldest first."""
    return sorted({p.stem.rsplit("_", 1)[1] for p in feeds_dir.glob("cif_customer_*.dat")})


def pending_dates(wh: Warehouse, feeds_dir: Path) -> list[str]:
    """The generated dates not loaded yet (after the latest published one): dates load in order."""
    latest = latest_published(wh)
    return [d for d in feed_dates(feeds_dir) if latest is None or d > latest]


def load_dates(
    factory: sessionmaker[Session],
    wh: Warehouse,
    feeds_dir: Path,
    dates: list[str],
    *,
    clock: Clock,
    on_step: OnStep | None = None,
    done_before: int = 0,
    total: int | None = None,
) -> None:
    """Load ``dates`` in order through the real ETL (a run each, on the load runs page); stops with
    ``LoadFailed`` at a date that does not publish."""
    total = total if total is not None else done_before + len(dates)
    for i, d in enumerate(dates, start=done_before + 1):
        files = 0

        def on_file(_: object, d: str = d, i: int = i) -> None:
            nonlocal files
            files += 1
            if on_step and files == len(FEEDS):
                on_step(Step("resolve", i - 1, total, f"{d}: identity resolution, snapshot, tiers"))

        if on_step:
            on_step(Step("load", i - 1, total, f"{d}: validating {len(FEEDS)} files"))
        run = run_load(factory, wh, feeds_dir, d, actor=audit.SYSTEM_ACTOR, clock=clock, on_file=on_file)
        if run.status != RunStatus.published:
            raise LoadFailed(f"{d}: {run.message}")
        if on_step:
            detail = (
                f"{d}: {run.rows_accepted:,} rows, {run.customers_created:,} new customers, {run.seconds or 0:.0f} s"
            )
            on_step(Step("loaded", i, total, detail))


def build_bank(
    factory: sessionmaker[Session],
    wh: Warehouse,
    feeds_dir: Path,
    *,
    customers: int,
    days: int,
    clock: Clock,
    password: str = DEMO_PASSWORD,
    first_dates: int | None = None,
    on_step: OnStep | None = None,
) -> bool:
    """The full demo: a generated bank (org tree, customers, accounts, ``days`` business dates of
    feeds), loaded through the real ETL and identity resolution; demo logins on its org tree; the
    Gulou customer manager given a book of customers. ``first_dates`` loads only that many dates (the
    oldest: dates load in order), leaving the rest to ``pending_dates``/``load_dates``. False when an
    org tree exists already."""
    with factory() as db:
        bootstrap(db)
        db.commit()
        if db.scalar(select(func.count()).select_from(Org)):
            return False
    if not (feeds_dir / "org_tree.csv").is_file():
        if on_step:
            on_step(Step("generate", 0, 1, f"{customers:,} customers, {days} business dates into {feeds_dir}"))
        generate(Options(customers=customers, days=days, seed=20261124, out=feeds_dir, sub_branches=LOGIN_BRANCHES))
        if on_step:
            on_step(Step("generate", 1, 1, "done"))
    with factory() as db:
        import_tree(db, feeds_dir / "org_tree.csv", now=clock.now())
        orgs = {o.code: o for o in db.scalars(select(Org))}
        missing = sorted({u.org_code for u in USERS} - orgs.keys())
        if missing:  # feeds generated elsewhere (or by an older version) without the logins' orgs
            raise ValueError(f"the demo feeds in {feeds_dir} lack the orgs {', '.join(missing)}: delete the folder")
        _create_users(db, orgs, now=clock.now(), password=password)
        audit.append(
            db, audit.SYSTEM_ACTOR, "system.demo_build", at=clock.now(), detail={"customers": customers, "days": days}
        )
        db.commit()
    if on_step:
        on_step(Step("orgs", 1, 1, f"{len(orgs)} orgs, {len(USERS)} demo logins"))
    dates = feed_dates(feeds_dir)
    first = dates if first_dates is None else dates[: max(1, first_dates)]
    load_dates(factory, wh, feeds_dir, first, clock=clock, on_step=on_step, total=len(dates))
    with factory() as db:
        manager = db.scalars(select(User).where(User.username == "gl_manager")).one()
        book = db.scalars(
            select(Customer.id).where(Customer.org_id == manager.org_id).order_by(Customer.id).limit(300)
        ).all()
        for cid in book:
            db.add(CustomerManager(customer_id=cid, user_id=manager.id, share=100, start_date=clock.now().date()))
        db.commit()
    if on_step:
        on_step(Step("book", 1, 1, f"gl_manager manages {len(book)} customers"))
    return True


class HistoryJobs(Jobs):
    """The server's job runner, which also loads the demo's remaining dates: one job per date, each
    submitting the next when it ends, so that work staff start meanwhile (a snapshot refresh, a load)
    waits for one date at most; stopping the server stops the history between two dates."""

    def __init__(self) -> None:
        super().__init__()
        self.stopping = threading.Event()

    def load_history(
        self,
        factory: sessionmaker[Session],
        warehouse: Callable[[], Warehouse],
        feeds_dir: Path,
        dates: list[str],
        *,
        clock: Clock,
        on_step: OnStep,
        done_before: int,
        total: int,
        on_end: Callable[[list[str], str | None], None],
    ) -> None:
        """Start loading ``dates``; ``on_end(left, error)`` reports the end (``left`` empty when all loaded)."""

        def job(k: int) -> None:
            if self.stopping.is_set():
                on_end(dates[k:], None)
                return
            try:
                load_dates(
                    factory,
                    warehouse(),
                    feeds_dir,
                    [dates[k]],
                    clock=clock,
                    on_step=on_step,
                    done_before=done_before + k,
                    total=total,
                )
            except Exception as e:
                log.exception("demo history load failed", extra={"business_date": dates[k]})
                on_end(dates[k:], e.message if isinstance(e, LoadFailed) else type(e).__name__)
                return
            if k + 1 == len(dates):
                on_end([], None)
                return
            try:
                self.submit(f"demo.history {dates[k + 1]}", lambda: job(k + 1))
            except RuntimeError:  # the runner shut down meanwhile
                on_end(dates[k + 1 :], None)

        if dates:
            self.submit(f"demo.history {dates[0]}", lambda: job(0))

    def shutdown(self) -> None:
        self.stopping.set()
        super().shutdown()
