"""The synthetic bank's accounts in every source system, their state day by day, and the planted
events. Everything is a column (numpy/pyarrow); the only Python loops run over systems, products or
days, never over rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]

from bankcrm.etl import layouts
from bankcrm.synth import orgs as orgs_mod
from bankcrm.synth import people
from bankcrm.synth.cols import Arr, add_months, concat, luhn_check_digit, num, words, ymd, zpad
from bankcrm.synth.orgs import OrgTree

DAY = np.timedelta64(1, "D")
CH = {c: i for i, c in enumerate(layouts.CHANNELS)}
NAT = np.datetime64("NaT", "D")


def _unique_numbers(n: int, rng: np.random.Generator, spacing: int = 7) -> Arr:
    """``n`` distinct non-sequential integers in ``[0, n * spacing)``."""
    return np.asarray(rng.permutation(n) * spacing + rng.integers(0, spacing, n), dtype=np.int64)


def _pick(rng: np.random.Generator, candidates: Arr, k: int) -> Arr:
    c = np.flatnonzero(candidates) if candidates.dtype == bool else candidates
    k = min(k, len(c))
    return np.sort(rng.choice(c, size=k, replace=False)) if k else np.zeros(0, dtype=np.int64)


@dataclass
class Table:
    """One source system's account table (one row per account, holder = customer index)."""

    system: str
    holder: Arr
    key: Any  # pa string array
    org: Any  # pa string array (the system's own org codes)
    protected: Arr  # rows never made dirty (planted events live there)
    num: dict[str, Arr] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.holder)


@dataclass
class GroundTruth:
    parts: list[dict[str, Any]] = field(default_factory=list)

    def add(
        self,
        event: str,
        business_date: str,
        system: str,
        account: Any,
        id_type: Any,
        id_no: Any,
        detail: Any,
    ) -> None:
        n = len(account)
        if n == 0:
            return

        def col(x: Any) -> Any:
            if isinstance(x, str):
                return pa.array([x] * n, pa.string())
            return x.cast(pa.string()) if x.type != pa.string() else x

        self.parts.append(
            {
                "event": col(event),
                "business_date": col(business_date),
                "system": col(system),
                "account": col(account),
                "id_type": col(id_type),
                "id_no": col(id_no),
                "detail": col(detail),
            }
        )

    def table(self) -> Any:
        names = ["event", "business_date", "system", "account", "id_type", "id_no", "detail"]
        if not self.parts:
            return pa.table({n: pa.array([], pa.string()) for n in names})
        return pa.table({n: pa.concat_arrays([p[n] for p in self.parts]) for n in names})


def kv(*pairs: tuple[str, Any]) -> Any:
    """``k=v;k=v`` detail text from literal strings and columns."""
    parts: list[Any] = []
    for i, (k, v) in enumerate(pairs):
        parts.append(pa.scalar(((";" if i else "") + k + "=").encode(), pa.binary()))
        parts.append(pa.scalar(v.encode(), pa.binary()) if isinstance(v, str) else v)
    return concat(*parts)


def money_text(cents: Arr) -> Any:
    c = np.asarray(cents, dtype=np.int64)
    a = np.abs(c)
    txt = concat(num(a // 100), pa.scalar(b"."), zpad(a % 100, 2))
    return pc.if_else(pa.array(c < 0), concat(pa.scalar(b"-"), txt), txt)


class Bank:
    def __init__(
        self,
        n: int,
        days: int,
        start: np.datetime64,
        dirty: float,
        rng: np.random.Generator,
        sub_branches: tuple[str, ...] = (),
    ) -> None:
        self.rng = rng
        self.days = days
        self.start = start
        self.end = start + (days - 1) * DAY
        self.dirty = dirty
        self.tree: OrgTree = orgs_mod.build(n, rng, sub_branches)
        self.pop = people.build(n, self.tree, start, rng)
        self.gt = GroundTruth()
        pop = self.pop
        self.personal = pop.personal
        self.home_codes = np.asarray([o.code for o in self.tree.orgs], dtype=object)
        self._city_of = np.asarray([self.tree.city_branch(i) for i in range(len(self.tree.orgs))], dtype=np.int64)
        self.protected_holder = np.zeros(n, dtype=bool)
        self.cust_seed = int(rng.integers(2**62))
        self._build_sav()
        self._build_corp()
        self._build_crd()
        self._build_pl()
        self._build_card()
        self._build_wm()
        self._build_hpf()
        since = pop.since.copy()
        for t in (self.sav, self.corp, self.card, self.hpf):
            np.minimum.at(since, t.holder, t.num["open"])
        for t in (self.crd, self.pl):
            np.minimum.at(since, t.holder, t.num["start"])
        np.minimum.at(since, self.wm.holder, self.wm.num["buy"])
        pop.since = since
        self._plant_identity_formats()
        self._plan_events()
        for t in self.tables():
            t.protected |= self.protected_holder[t.holder]
        self.fund_nav = np.ones(len(self.fund_codes), dtype=np.float64)

    def tables(self) -> tuple[Table, ...]:
        return (self.sav, self.corp, self.crd, self.pl, self.card, self.wm, self.hpf)

    # ---- helpers ----------------------------------------------------------------------------------
    def _org_codes(self, system: str, holder: Arr, elsewhere: float = 0.12, city_level: Arr | None = None) -> Any:
        rng = self.rng
        home = self.pop.home[holder]
        other = np.asarray(self.tree.home, dtype=np.int64)[rng.integers(len(self.tree.home), size=len(holder))]
        org = np.where(rng.random(len(holder)) < elsewhere, other, home)
        if city_level is not None:
            org = np.where(city_level, self._city_of[org], org)
        codes = tuple(self.tree.system_code(system, o.code) for o in self.tree.orgs)
        arr = words(codes, org, "ascii")
        extra = orgs_mod.UNMAPPED.get(system, ())
        if extra and len(holder) >= 50:
            k = max(1, len(holder) // 200)
            pos = _pick(rng, np.ones(len(holder), dtype=bool), k)
            repl = words(tuple(c for c, _ in extra), np.arange(k) % len(extra), "ascii")
            mask = np.zeros(len(holder), dtype=bool)
            mask[pos] = True
            arr = pc.replace_with_mask(arr.cast(pa.binary()), pa.array(mask), repl)
        return concat(arr)

    def _dates_between(self, lo: Arr, hi: np.datetime64) -> Arr:
        span = np.maximum((hi - lo).astype(np.int64), 0)
        return np.asarray(lo + (self.rng.random(len(lo)) * span).astype(np.int64) * DAY)

    # ---- savings ----------------------------------------------------------------------------------
    def _build_sav(self) -> None:
        rng, pop = self.rng, self.pop
        pers = np.flatnonzero(self.personal)
        w = pop.wealth[pers]
        has_wm = rng.random(len(pers)) < np.where(w > 200_000, 0.45, 0.12)
        self.wm_share = np.zeros(pop.n)
        self.wm_share[pers] = np.where(has_wm, rng.uniform(0.15, 0.5, len(pers)), 0.0)
        deposits = w * (1 - self.wm_share[pers])
        n_fixed = rng.choice(3, size=len(pers), p=[0.6, 0.3, 0.1])
        n_yzt = (rng.random(len(pers)) < 0.08).astype(int)
        n_notice = (rng.random(len(pers)) < 0.02).astype(int)
        n_dem2 = (rng.random(len(pers)) < 0.2).astype(int)
        # at most four accounts per person
        n_fixed = np.minimum(n_fixed, 3 - n_dem2 - n_yzt - n_notice).clip(0)
        demand_share = np.where(n_fixed + n_yzt + n_notice > 0, rng.uniform(0.25, 0.6, len(pers)), 1.0)
        rows_holder, rows_prod, rows_bal, rows_cur = [], [], [], []
        # product codes: 0 demand, 1 fixed, 2 yzt, 3 notice
        rows_holder.append(pers)
        rows_prod.append(np.zeros(len(pers), dtype=np.int64))
        rows_bal.append(deposits * demand_share * np.where(n_dem2 > 0, 0.9, 1.0))
        rows_cur.append(np.zeros(len(pers), dtype=np.int64))
        d2 = n_dem2 > 0
        rows_holder.append(pers[d2])
        rows_prod.append(np.zeros(int(d2.sum()), dtype=np.int64))
        rows_bal.append(deposits[d2] * demand_share[d2] * 0.1)
        rows_cur.append(
            np.where(rng.random(int(d2.sum())) < 0.7, 0, rng.integers(1, len(layouts.CURRENCIES), int(d2.sum())))
        )
        n_term = n_fixed + n_yzt + n_notice
        rest = deposits * (1 - demand_share) / np.maximum(n_term, 1)
        for code, cnt in ((1, n_fixed), (2, n_yzt), (3, n_notice)):
            h = np.repeat(np.arange(len(pers)), cnt)
            rows_holder.append(pers[h])
            rows_prod.append(np.full(len(h), code, dtype=np.int64))
            rows_bal.append(rest[h] * rng.uniform(0.6, 1.4, len(h)))
            rows_cur.append(np.zeros(len(h), dtype=np.int64))
        holder = np.concatenate(rows_holder)
        order = np.argsort(holder, kind="stable")
        holder = holder[order]
        prod = np.concatenate(rows_prod)[order]
        bal = np.concatenate(rows_bal)[order]
        cur = np.concatenate(rows_cur)[order]
        n = len(holder)
        cents = np.floor(bal * 100).astype(np.int64)
        term_prod = prod == 1
        cents = np.where(prod != 0, np.maximum(cents // 10_000 * 10_000, 50_000), cents)  # round to 100 yuan
        term = np.where(
            (prod == 1) | (prod == 2),
            rng.choice(np.array([3, 6, 12, 24, 36, 60]), size=n, p=[0.15, 0.15, 0.35, 0.15, 0.15, 0.05]),
            0,
        )
        rate_by_term = {0: 10, 3: 65, 6: 85, 12: 95, 24: 105, 36: 125, 60: 130}
        rate = np.vectorize(rate_by_term.__getitem__, otypes=[np.int64])(term) if n else np.zeros(0, dtype=np.int64)
        rate = np.where(prod == 3, 45, rate)
        rate = np.where(cur != 0, 5, rate)
        term_days = (term * 30.4).astype(np.int64)
        has_term = term > 0
        maturity = np.full(n, NAT, dtype="datetime64[D]")
        maturity[has_term] = self.start + (rng.random(int(has_term.sum())) * term_days[has_term]).astype(np.int64) * DAY
        open_ = self._dates_between(pop.since[holder], self.start)
        open_[has_term] = add_months(maturity[has_term], -term[has_term])
        status = np.where(prod == 0, rng.choice(4, size=n, p=[0.95, 0.03, 0.01, 0.01]), 0)
        cents = np.where(status == 3, 0, cents)
        del term_prod
        self.sav = Table(
            "sav",
            holder,
            key=num(6217003200000000000 + _unique_numbers(n, rng)),
            org=self._org_codes("sav", holder),
            protected=np.zeros(n, dtype=bool),
            num={
                "prod": prod,
                "cur": cur,
                "open": open_,
                "maturity": maturity,
                "term": term,
                "rate": rate,
                "balance": cents,
                "status": status,
            },
        )
        # the salary account: each person's first demand account
        first = np.ones(n, dtype=bool)
        first[1:] = holder[1:] != holder[:-1]
        self.salary_acct = np.full(pop.n, -1, dtype=np.int64)
        self.salary_acct[holder[first & (prod == 0)]] = np.flatnonzero(first & (prod == 0))

    # ---- corporate deposits -----------------------------------------------------------------------
    def _build_corp(self) -> None:
        rng, pop = self.rng, self.pop
        corp = np.flatnonzero(~self.personal)
        n_gen = (rng.random(len(corp)) < 0.3).astype(int)
        n_fix = (rng.random(len(corp)) < 0.25).astype(int)
        holder = np.concatenate([corp, np.repeat(corp, n_gen), np.repeat(corp, n_fix)])
        prod = np.concatenate(
            [np.zeros(len(corp) + int(n_gen.sum()), dtype=np.int64), np.ones(int(n_fix.sum()), dtype=np.int64)]
        )
        order = np.argsort(holder, kind="stable")
        holder, prod = holder[order], prod[order]
        n = len(holder)
        share = rng.dirichlet(np.ones(3), size=n)[:, 0] if n else np.zeros(0)
        bal = pop.wealth[holder] * np.where(prod == 1, 0.3, np.where(share > 0, 0.7, 0.7))
        cents = np.floor(bal * 100).astype(np.int64)
        cents = np.where(prod == 1, np.maximum(cents // 1_000_000 * 1_000_000, 10_000_000), cents)
        term = np.where(prod == 1, rng.choice(np.array([3, 6, 12, 24]), size=n), 0)
        maturity = np.full(n, NAT, dtype="datetime64[D]")
        fixed = prod == 1
        maturity[fixed] = self.start + (rng.random(int(fixed.sum())) * term[fixed] * 30.4).astype(np.int64) * DAY
        open_ = self._dates_between(pop.since[holder], self.start)
        open_[fixed] = add_months(maturity[fixed], -term[fixed])
        cur = np.where(rng.random(n) < 0.05, rng.integers(1, len(layouts.CURRENCIES), n), 0)
        self.corp = Table(
            "corp",
            holder,
            key=num(3201000100000000 + _unique_numbers(n, rng, 11)),
            org=self._org_codes("corp", holder, elsewhere=0.05),
            protected=np.zeros(n, dtype=bool),
            num={
                "prod": prod,
                "cur": cur,
                "open": open_,
                "maturity": maturity,
                "term": term,
                "rate": np.where(fixed, np.where(term >= 12, 110, 80), 20),
                "balance": cents,
                "status": rng.choice(4, size=n, p=[0.96, 0.02, 0.015, 0.005]) * (~fixed),
            },
        )
        first = np.ones(n, dtype=bool)
        first[1:] = holder[1:] != holder[:-1]
        self.corp_main = np.full(pop.n, -1, dtype=np.int64)
        self.corp_main[holder[first]] = np.flatnonzero(first)

    # ---- loans ------------------------------------------------------------------------------------
    def _loan_class(self, n: int, p: list[float]) -> tuple[Arr, Arr]:
        rng = self.rng
        cls = rng.choice(5, size=n, p=p) + 1
        od = np.where(
            cls == 2,
            np.where(rng.random(n) < 0.5, 0, rng.integers(1, 90, n)),
            np.where(cls == 3, rng.integers(90, 180, n), np.where(cls == 4, rng.integers(180, 360, n), 0)),
        )
        od = np.where(cls == 5, rng.integers(360, 720, n), od)
        return cls, od

    def _build_crd(self) -> None:
        rng = self.rng
        corp = np.flatnonzero(~self.personal)
        cnt = rng.choice(3, size=len(corp), p=[0.55, 0.35, 0.10])
        holder = np.repeat(corp, cnt)
        n = len(holder)
        amount = np.maximum(np.round(rng.lognormal(np.log(5_000_000), 1.1, n), -4), 100_000)
        term = rng.choice(np.array([12, 24, 36, 60]), size=n, p=[0.5, 0.25, 0.15, 0.1])
        elapsed = (rng.random(n) * term).astype(np.int64)
        start = add_months(np.full(n, self.start), -elapsed) - rng.integers(1, 28, n) * DAY
        maturity = add_months(start, term)
        maturity = np.where(maturity <= self.end, self.end + rng.integers(30, 365, n) * DAY, maturity)
        cls, od = self._loan_class(n, [0.93, 0.04, 0.015, 0.01, 0.005])
        bal = np.round(amount * rng.uniform(0.3, 1.0, n), 2)
        self.crd = Table(
            "crd",
            holder,
            key=concat(pa.scalar(b"JK"), num(ymd(start) // 100), zpad(_unique_numbers(n, rng, 3), 7)),
            org=self._org_codes("crd", holder, elsewhere=0.02, city_level=rng.random(n) < 0.3),
            protected=np.zeros(n, dtype=bool),
            num={
                "start": start,
                "maturity": maturity,
                "amount": (amount * 100).astype(np.int64),
                "balance": (bal * 100).astype(np.int64),
                "rate": rng.integers(310, 551, n),
                "class": cls,
                "od0": od,
                "od_amt_share": rng.uniform(0.05, 0.5, n),
                "od_start": np.full(n, -(10**6), dtype=np.int64),
            },
        )

    def _build_pl(self) -> None:
        rng, pop = self.rng, self.pop
        pers = np.flatnonzero(self.personal)
        age = (self.start - pop.birth[pers]).astype(np.int64) / 365.25
        mort = (rng.random(len(pers)) < np.where((age > 25) & (age < 60), 0.22, 0.03)).astype(int)
        cons = (rng.random(len(pers)) < 0.12).astype(int)
        holder = np.concatenate([np.repeat(pers, mort), np.repeat(pers, cons)])
        prod = np.concatenate([np.zeros(int(mort.sum()), dtype=np.int64), np.ones(int(cons.sum()), dtype=np.int64)])
        order = np.argsort(holder, kind="stable")
        holder, prod = holder[order], prod[order]
        n = len(holder)
        amount = np.where(
            prod == 0,
            np.clip(np.round(rng.lognormal(np.log(900_000), 0.5, n), -4), 100_000, 8_000_000),
            np.clip(np.round(rng.lognormal(np.log(80_000), 0.8, n), -3), 5_000, 500_000),
        )
        term = np.where(
            prod == 0, rng.choice(np.array([240, 300, 360]), size=n), rng.choice(np.array([12, 24, 36, 60]), size=n)
        )
        elapsed = (rng.random(n) * term * 0.9).astype(np.int64) + 1
        start = add_months(np.full(n, self.start), -elapsed) - rng.integers(0, 28, n) * DAY
        rate = np.where(prod == 0, rng.integers(310, 421, n), rng.integers(350, 801, n))
        r = rate / 10000 / 12
        installment = amount * r * (1 + r) ** term / ((1 + r) ** term - 1)
        cls, od = self._loan_class(n, [0.97, 0.015, 0.007, 0.005, 0.003])
        self.pl = Table(
            "pl",
            holder,
            key=concat(pa.scalar(b"PL"), num(ymd(start) // 100), zpad(_unique_numbers(n, rng, 3), 8)),
            org=self._org_codes("pl", holder),
            protected=np.zeros(n, dtype=bool),
            num={
                "prod": prod,
                "start": start,
                "maturity": add_months(start, term),
                "amount": (amount * 100).astype(np.int64),
                "term": term,
                "rate": rate,
                "installment": installment,
                "class": cls,
                "od0": od,
                "od_start": np.full(n, -(10**6), dtype=np.int64),
            },
        )

    def pl_balance(self, date: np.datetime64, paid_until: Arr) -> Arr:
        """Outstanding principal after the instalments due up to ``paid_until`` (per loan)."""
        t = self.pl.num
        months = (paid_until.astype("datetime64[M]") - t["start"].astype("datetime64[M]")).astype(np.int64)
        passed_day = (paid_until - paid_until.astype("datetime64[M]")).astype(np.int64) >= (
            t["start"] - t["start"].astype("datetime64[M]")
        ).astype(np.int64)
        k = np.clip(months - 1 + passed_day, 0, t["term"])
        r = t["rate"] / 10000 / 12
        n = t["term"]
        a = t["amount"] / 100
        bal = a * ((1 + r) ** n - (1 + r) ** k) / ((1 + r) ** n - 1)
        return np.asarray(np.round(bal * 100).astype(np.int64))

    # ---- cards ------------------------------------------------------------------------------------
    def _build_card(self) -> None:
        rng, pop = self.rng, self.pop
        pers = np.flatnonzero(self.personal)
        cnt = np.where(rng.random(len(pers)) < 0.55, np.where(rng.random(len(pers)) < 0.15, 2, 1), 0)
        holder = np.repeat(pers, cnt)
        n = len(holder)
        limit = np.clip(np.round(rng.lognormal(np.log(20_000), 0.7, n), -3), 3_000, 500_000)
        owed = np.round(limit * rng.beta(1.2, 4, n), 2)
        status = rng.choice(4, size=n, p=[0.96, 0.03, 0.005, 0.005])
        owed = np.where(status == 3, 0, owed)
        body = 622588000000000 + _unique_numbers(n, rng, 13)
        self.card = Table(
            "card",
            holder,
            key=concat(num(body), num(luhn_check_digit(body, 15))),
            org=self._org_codes("card", holder, elsewhere=0.2),
            protected=np.zeros(n, dtype=bool),
            num={
                "open": self._dates_between(pop.since[holder], self.start - 30 * DAY),
                "limit": (limit * 100).astype(np.int64),
                "balance": (owed * 100).astype(np.int64),
                "status": status,
                "due_day": rng.integers(1, 29, n),
            },
        )

    # ---- wealth and funds -------------------------------------------------------------------------
    def _build_wm(self) -> None:
        rng, pop = self.rng, self.pop
        has = np.where(self.personal, self.wm_share > 0, rng.random(pop.n) < 0.1)
        cnt = np.where(has, rng.choice(np.array([1, 2, 3]), size=pop.n, p=[0.6, 0.3, 0.1]), 0)
        holder = np.repeat(np.arange(pop.n), cnt)
        n = len(holder)
        n_wealth, n_fund = 60, 40
        self.wealth_codes = tuple(f"JSWM{25 * 10000 + i * 37 % 10000:06d}" for i in range(1, n_wealth + 1))
        self.wealth_term = rng.choice(np.array([91, 182, 365, 730]), size=n_wealth, p=[0.3, 0.3, 0.3, 0.1])
        self.wealth_yield = rng.integers(220, 381, n_wealth)
        self.fund_codes = tuple(f"{(i * 7919) % 520000:06d}" for i in range(1, n_fund + 1))
        fund = rng.random(n) < 0.35
        prod = np.where(fund, rng.integers(0, n_fund, n), rng.integers(0, n_wealth, n))
        total = np.where(self.personal[holder], pop.wealth[holder] * self.wm_share[holder], pop.wealth[holder] * 0.2)
        amount = np.maximum(np.round(total / np.maximum(cnt[holder], 1) * rng.uniform(0.5, 1.5, n), -3), 10_000)
        term = np.where(fund, 0, self.wealth_term[np.where(fund, 0, prod)])
        maturity = np.full(n, NAT, dtype="datetime64[D]")
        w = ~fund
        maturity[w] = self.start + (rng.random(int(w.sum())) * term[w]).astype(np.int64) * DAY
        buy = self._dates_between(pop.since[holder], self.start - DAY)
        buy[w] = maturity[w] - term[w] * DAY
        self.wm = Table(
            "wm",
            holder,
            key=concat(pa.scalar(b"WM"), zpad(_unique_numbers(n, rng), 12)),
            org=self._org_codes("wm", holder),
            protected=np.zeros(n, dtype=bool),
            num={
                "fund": fund,
                "prod": prod,
                "buy": buy,
                "maturity": maturity,
                "term": term,
                "amount": (amount * 100).astype(np.int64),
                "yield": np.where(fund, 0, self.wealth_yield[np.where(fund, 0, prod)]),
            },
        )

    # ---- housing provident fund -------------------------------------------------------------------
    def _build_hpf(self) -> None:
        rng, pop = self.rng, self.pop
        age = (self.start - pop.birth).astype(np.int64) / 365.25
        has = self.personal & (age >= 22) & (age < 60) & (rng.random(pop.n) < 0.45)
        holder = np.flatnonzero(has)
        n = len(holder)
        corp = np.flatnonzero(~self.personal)
        employer = corp[rng.integers(len(corp), size=n)] if len(corp) else np.zeros(n, dtype=np.int64)
        monthly = np.clip(np.round(pop.income[holder] * 0.24), 200, 8_000)
        self.hpf = Table(
            "hpf",
            holder,
            key=num(3201200000000 + _unique_numbers(n, rng, 5)),
            org=self._org_codes("hpf", holder),
            protected=np.zeros(n, dtype=bool),
            num={
                "employer": employer,
                "open": self._dates_between(pop.since[holder], self.start - 30 * DAY),
                "balance": (np.round(rng.lognormal(np.log(40_000), 0.9, n), 2) * 100).astype(np.int64),
                "monthly": (monthly * 100).astype(np.int64),
                "status": np.where(rng.random(n) < 0.97, 0, 2),
                "day": rng.integers(1, 29, n),
            },
        )

    # ---- identity: the same person under two ID formats ---------------------------------------------
    def _plant_identity_formats(self) -> None:
        pop, rng = self.pop, self.rng
        eligible = self.personal & (pop.legacy15 | (pop.birth < np.datetime64("2000-01-01")))
        self.alt_id: dict[str, Arr] = {}
        k_total = 0 if self.dirty <= 0 else max(1, round(int(self.personal.sum()) * self.dirty * 0.1))
        systems = ("pl", "card", "hpf")
        per = [k_total // 3 + (1 if i < k_total % 3 else 0) for i in range(3)]
        taken = np.zeros(pop.n, dtype=bool)
        for system, k in zip(systems, per, strict=True):
            t = getattr(self, system)
            cand = np.unique(t.holder[eligible[t.holder] & ~taken[t.holder]])
            chosen = _pick(rng, cand, k) if len(cand) else np.zeros(0, dtype=np.int64)
            mask = np.zeros(pop.n, dtype=bool)
            mask[chosen] = True
            taken |= mask
            self.alt_id[system] = mask
        self.protected_holder |= taken

    def id_no(self, system: str) -> Any:
        """Customers' ID numbers as ``system`` holds them."""
        base = self.pop.id_no()
        mask = self.alt_id.get(system)
        if mask is None or not mask.any():
            return base
        return pc.if_else(pa.array(mask), self.pop.id_no_other_format(), base)

    def cust_ids(self, system: str) -> Any:
        """Each system numbers customers its own way."""
        key = f"cust_id_{system}"
        return self.pop.cached(key, "", lambda: self._cust_ids(system))

    def _cust_ids(self, system: str) -> Any:
        rng = np.random.default_rng([self.cust_seed, list(layouts.SYSTEMS).index(system)])
        perm = rng.permutation(self.pop.n).astype(np.int64)
        prefix = {"cif": "", "sav": "S", "corp": "G", "crd": "X", "pl": "P", "card": "K", "wm": "W", "hpf": "H"}[system]
        base = {"cif": 3_200_000_000, "sav": 10_000_000, "corp": 20_000_000}.get(system, 50_000_000)
        return concat(pa.scalar(prefix.encode()), num(base + perm))

    # ---- planted events ---------------------------------------------------------------------------
    def _plan_events(self) -> None:
        rng, n_days = self.rng, self.days
        n = self.pop.n
        # loans going overdue (and some downgrading), personal and corporate
        for t, share, least in ((self.pl, 0.01, 2), (self.crd, 0.03, 1)):
            cand = (t.num["class"] == 1) & (t.num["od0"] == 0)
            chosen = _pick(rng, cand, max(least, round(len(t) * share)))
            t.num["od_start"][chosen] = rng.integers(0, n_days, len(chosen))
            down1 = np.full(len(t), 10**6, dtype=np.int64)
            down2 = np.full(len(t), 10**6, dtype=np.int64)
            dg = chosen[rng.random(len(chosen)) < 0.6]
            if t.system == "pl" and len(chosen) and n_days >= 2:
                # at least one downgrade inside the window, however short
                t.num["od_start"][chosen[0]] = 0
                dg = np.union1d(dg, chosen[:1])
            down1[dg] = t.num["od_start"][dg] + np.where(
                dg == (chosen[0] if len(chosen) else -1), 1, rng.integers(1, 3, len(dg))
            )
            down2[dg] = down1[dg] + rng.integers(1, 4, len(dg))
            t.num["down1"], t.num["down2"] = down1, down2
            t.protected[chosen] = True
            # existing overdue loans are listed too, so the truth covers every overdue row
            t.protected[t.num["od0"] > 0] = True
        # card overdrafts
        c = self.card
        chosen = _pick(rng, c.num["status"] == 0, max(2, round(len(c) * 0.005)))
        c.num["over_day"] = np.full(len(c), 10**6, dtype=np.int64)
        c.num["over_day"][chosen] = rng.integers(0, n_days, len(chosen))
        c.protected[chosen] = True
        # large deposit swings (needs a day before)
        self.swing_day = np.full(n, 10**6, dtype=np.int64)
        self.swing_up = np.zeros(n, dtype=bool)
        if n_days >= 2:
            tot_sav = np.bincount(self.sav.holder, weights=self.sav.num["balance"], minlength=n) / 100
            tot_corp = np.bincount(self.corp.holder, weights=self.corp.num["balance"], minlength=n) / 100
            for who, tot, floor, acct in (
                (self.personal, tot_sav, 50_000, self.salary_acct),
                (~self.personal, tot_corp, 500_000, self.corp_main),
            ):
                cand = who & (tot >= floor) & (acct >= 0) & ~self.protected_holder
                chosen = _pick(rng, cand, max(1, round(int(who.sum()) * 0.002)))
                self.swing_day[chosen] = rng.integers(1, n_days, len(chosen))
                self.swing_up[chosen] = rng.random(len(chosen)) < 0.4
                self.protected_holder[chosen] = True
        # maturities: make sure a few fall inside the window even in tiny runs
        for t in (self.sav, self.corp, self.wm):
            mat = t.num["maturity"]
            has = ~np.isnat(mat)
            inside = has & (mat <= self.end)
            need = (2 if t.system != "corp" else 1) - int(inside.sum())
            if need > 0:
                chosen = _pick(rng, has & ~inside & (t.num["balance" if "balance" in t.num else "amount"] > 0), need)
                new = self.start + rng.integers(0, n_days, len(chosen)) * DAY
                shift = new - mat[chosen]
                mat[chosen] = new
                key = "buy" if t.system == "wm" else "open"
                if t.system == "wm":
                    t.num[key][chosen] = t.num[key][chosen] + shift
                else:
                    t.num[key][chosen] = add_months(new, -t.num["term"][chosen])
            t.protected |= ~np.isnat(mat) & (mat <= self.end)
