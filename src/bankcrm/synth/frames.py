"""What each feed holds on one business date, as Arrow columns in the feed's own form, and the day's
simulation step that moves balances, loans and cards forward."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]

from bankcrm.etl import layouts
from bankcrm.etl.layouts import Feed
from bankcrm.synth import orgs as orgs_mod
from bankcrm.synth import txns, vocab
from bankcrm.synth.bank import CH, DAY, Bank, Table, kv, money_text
from bankcrm.synth.cols import Arr, add_months, as_text, concat, nullable_int, num, words, ymd, zpad
from bankcrm.synth.txns import Forced, Txns


@dataclass
class Frame:
    """One file's rows before dirt: columns by layout name (text columns already in the feed's
    encoding), the amount column in cents, and what the dirt step may touch."""

    feed: Feed
    cols: dict[str, Any]
    cents: dict[str, Arr]  # decimal columns as integers (scale in ``scales``)
    scales: dict[str, int]
    protected: Arr
    bad_id: Any = None
    personal: Arr | None = None

    @property
    def n(self) -> int:
        return len(self.protected)


def _codes(values: tuple[str, ...], idx: Arr) -> Any:
    return as_text(words(values, idx, "ascii"))


def _date_col(d: Arr) -> Any:
    valid = ~np.isnat(d)
    return nullable_int(np.where(valid, ymd(np.where(valid, d, np.datetime64("2000-01-01"))), 0), valid)


SAV_PRODUCTS = ("SAV_DEMAND", "SAV_FIXED", "SAV_YZT", "SAV_NOTICE")
CORP_PRODUCTS = ("CORP_DEMAND", "CORP_FIXED")
PL_PRODUCTS = ("MORTGAGE", "CONSUMER_LOAN")


class Daily:
    """Walks the bank through the business dates and renders every feed's frame."""

    def __init__(self, bank: Bank) -> None:
        self.b = bank
        self.i = -1
        self.date = bank.start - DAY
        self.day_txns: dict[str, tuple[Txns, Table, tuple[str, ...], tuple[str, ...]]] = {}
        self.holder_cache: dict[tuple[str, str], dict[str, Any]] = {}
        self.wm_amount0 = bank.wm.num["amount"].copy()
        self.loan_state: dict[str, dict[str, Arr]] = {}

    @property
    def ymd(self) -> str:
        return str(ymd(np.asarray([self.date]))[0])

    # ---- simulation -------------------------------------------------------------------------------
    def advance(self) -> None:
        b, rng = self.b, self.b.rng
        self.i += 1
        self.date = b.start + self.i * DAY
        prev_sav = np.bincount(b.sav.holder, weights=b.sav.num["balance"], minlength=b.pop.n)
        prev_corp = np.bincount(b.corp.holder, weights=b.corp.num["balance"], minlength=b.pop.n)
        self._rollovers()
        dom = int((self.date - self.date.astype("datetime64[M]")).astype(np.int64)) + 1
        # housing fund contributions
        h = b.hpf.num
        due = (h["day"] == dom) & (h["status"] == 0)
        h["balance"] = h["balance"] + np.where(due, h["monthly"], 0)
        # fund prices move every day
        b.fund_nav *= 1 + rng.normal(0.0002, 0.008, len(b.fund_nav))
        w = b.wm.num
        w["amount"] = np.where(
            w["fund"],
            np.round(self.wm_amount0 * b.fund_nav[np.where(w["fund"], w["prod"], 0)]).astype(np.int64),
            w["amount"],
        )
        self._deposit_day("sav", prev_sav, dom)
        self._deposit_day("corp", prev_corp, dom)
        self._card_day(dom)
        self._loans()

    def _rollovers(self) -> None:
        b = self.b
        for t in (b.sav, b.corp):
            m = t.num["maturity"]
            while True:
                roll = ~np.isnat(m) & (m < self.date)
                if not roll.any():
                    break
                t.num["open"][roll] = m[roll]
                t.num["balance"][roll] = (
                    t.num["balance"][roll] * (1 + t.num["rate"][roll] / 10000 * t.num["term"][roll] / 12)
                ).astype(np.int64)
                m[roll] = add_months(m[roll], t.num["term"][roll])
        m = b.wm.num["maturity"]
        while True:
            roll = ~np.isnat(m) & (m < self.date)
            if not roll.any():
                break
            b.wm.num["buy"][roll] = m[roll]
            m[roll] = m[roll] + b.wm.num["term"][roll] * DAY

    def _deposit_day(self, system: str, prev_total: Arr, dom: int) -> None:
        b, rng, pop = self.b, self.b.rng, self.b.pop
        t = b.sav if system == "sav" else b.corp
        main = b.salary_acct if system == "sav" else b.corp_main
        bal = t.num["balance"]
        n = len(t)
        swinging = b.swing_day[t.holder] == self.i
        active = (t.num["prod"] == 0) & (t.num["status"] == 0) & (t.num["cur"] == 0) & ~swinging
        who = pop.income[t.holder]
        if system == "sav":
            rate = np.full(n, 0.35)
            inc_scale = who * 0.08
            p_inc = 0.35
            inc_ch = txns_channels({"MOBILE": 4, "INTERNET": 2, "COUNTER": 2, "THIRD": 2, "ATM": 1})
            dec_ch = txns_channels(
                {"MOBILE": 4, "POS": 3, "THIRD": 3, "ATM": 2, "INTERNET": 1, "COUNTER": 1, "SELF": 0.3}
            )
            inc_memos, dec_memos = vocab.SAV_CREDIT_MEMOS, vocab.SAV_DEBIT_MEMOS
        else:
            rate = np.full(n, 2.0)
            inc_scale = who * 0.02
            p_inc = 0.45
            inc_ch = txns_channels({"INTERNET": 6, "COUNTER": 2, "THIRD": 1})
            dec_ch = txns_channels({"INTERNET": 7, "COUNTER": 2, "PHONE": 0.3})
            inc_memos, dec_memos = vocab.CORP_CREDIT_MEMOS, vocab.CORP_DEBIT_MEMOS
        memos = (*inc_memos, *dec_memos, vocab.MEMO_SALARY, vocab.MEMO_SWING_IN, vocab.MEMO_SWING_OUT)
        forced = Forced.empty()
        if system == "sav":
            payees = np.flatnonzero((pop.salary_day == dom) & (main >= 0) & (b.swing_day != self.i))
            acct = main[payees]
            ok = t.num["status"][acct] == 0
            acct, payees = acct[ok], payees[ok]
            forced = forced + Forced(
                acct=acct,
                increase=np.ones(len(acct), dtype=bool),
                amount=np.round(pop.income[payees] * rng.uniform(0.9, 1.1, len(acct)) * 100).astype(np.int64),
                memo=np.full(len(acct), len(inc_memos) + len(dec_memos), dtype=np.int64),
                channel=np.full(len(acct), CH["INTERNET"], dtype=np.int64),
                seconds=rng.integers(8 * 3600, 10 * 3600, len(acct)),
            )
        # planted swings
        sw = np.flatnonzero((b.swing_day == self.i) & (main >= 0))
        sw = sw[(b.personal[sw]) == (system == "sav")]
        swing_info = None
        if len(sw):
            acct = main[sw]
            total = prev_total[sw]
            up = b.swing_up[sw] | (bal[acct] < 0.4 * total)
            amount = np.where(
                up,
                total * rng.uniform(0.5, 1.2, len(sw)),
                np.minimum(total * rng.uniform(0.4, 0.6, len(sw)), bal[acct]),
            )
            amount = np.maximum(np.round(amount), 100_00).astype(np.int64)
            memo = np.where(up, len(memos) - 2, len(memos) - 1)
            forced = forced + Forced(
                acct=acct,
                increase=up,
                amount=amount,
                memo=memo,
                channel=np.full(len(sw), CH["COUNTER"], dtype=np.int64),
                seconds=rng.integers(9 * 3600, 16 * 3600, len(sw)),
            )
            swing_info = (sw, acct, up, amount, total)
        day_txns, new_bal = txns.day(
            rng,
            bal,
            active,
            rate,
            p_inc,
            inc_scale,
            bal * 0.6 / 100,
            None,
            len(inc_memos),
            len(dec_memos),
            inc_ch,
            dec_ch,
            forced,
        )
        # random memos: credits use the first block, debits the second
        rnd = ~day_txns.forced
        day_txns.memo = np.where(rnd & ~day_txns.increase, day_txns.memo + len(inc_memos), day_txns.memo)
        t.num["balance"] = new_bal
        self.day_txns[system] = (day_txns, t, memos, ("C", "D"))
        if swing_info is not None:
            sw, acct, up, amount, total = swing_info
            after = np.bincount(t.holder, weights=new_bal, minlength=b.pop.n)[sw]
            ids = b.id_no(system).take(pa.array(t.holder[acct]))
            b.gt.add(
                "large_deposit_swing",
                self.ymd,
                system,
                t.key.take(pa.array(acct)),
                b.pop.id_type().take(pa.array(t.holder[acct])),
                ids,
                kv(
                    ("direction", _codes(("down", "up"), up.astype(np.int64))),
                    ("amount", money_text(amount)),
                    ("total_before", money_text(np.round(total).astype(np.int64))),
                    ("total_after", money_text(np.round(after).astype(np.int64))),
                ),
            )

    def _card_day(self, dom: int) -> None:
        b, rng = self.b, self.b.rng
        t = b.card
        owed = t.num["balance"]
        limit = t.num["limit"]
        over = t.num["over_day"]
        n = len(t)
        frozen_by_over = over <= self.i
        active = (t.num["status"] == 0) & ~frozen_by_over
        inc_ch = txns_channels({"POS": 5, "INTERNET": 3, "THIRD": 4, "MOBILE": 1})
        dec_ch = txns_channels({"MOBILE": 5, "INTERNET": 2, "COUNTER": 1})
        memos = (*vocab.CARD_DEBIT_MEMOS, *vocab.CARD_CREDIT_MEMOS, vocab.MEMO_OVER)
        # repayments on the due day (leave room for the day's random refunds)
        pay = np.flatnonzero(active & (t.num["due_day"] == dom) & (owed > 10_000))
        amount = np.floor((owed[pay] * 0.95) * rng.uniform(0.5, 1.0, len(pay))).astype(np.int64)
        forced = Forced(
            acct=pay,
            increase=np.zeros(len(pay), dtype=bool),
            amount=amount,
            memo=len(vocab.CARD_DEBIT_MEMOS) + rng.integers(0, 2, len(pay)),
            channel=np.full(len(pay), CH["MOBILE"], dtype=np.int64),
            seconds=rng.integers(7 * 3600, 22 * 3600, len(pay)),
        )
        ov = np.flatnonzero(over == self.i)
        if len(ov):
            target = np.round(limit[ov] * rng.uniform(1.03, 1.2, len(ov))).astype(np.int64)
            forced = forced + Forced(
                acct=ov,
                increase=np.ones(len(ov), dtype=bool),
                amount=np.maximum(target - owed[ov], 100),
                memo=np.full(len(ov), len(memos) - 1, dtype=np.int64),
                channel=np.full(len(ov), CH["POS"], dtype=np.int64),
                seconds=rng.integers(10 * 3600, 21 * 3600, len(ov)),
            )
        day_txns, new_owed = txns.day(
            rng,
            owed,
            active,
            np.full(n, 0.45),
            0.93,
            np.full(n, 150.0),
            owed * 0.04 / 100,
            np.maximum(limit - owed, 0) / 100,
            len(vocab.CARD_DEBIT_MEMOS),
            len(vocab.CARD_CREDIT_MEMOS),
            inc_ch,
            dec_ch,
            forced,
        )
        rnd = ~day_txns.forced
        day_txns.memo = np.where(rnd & ~day_txns.increase, day_txns.memo + len(vocab.CARD_DEBIT_MEMOS), day_txns.memo)
        t.num["balance"] = new_owed
        self.day_txns["card"] = (day_txns, t, memos, ("D", "C"))
        if len(ov):
            b.gt.add(
                "card_overdraft",
                self.ymd,
                "card",
                t.key.take(pa.array(ov)),
                b.pop.id_type().take(pa.array(t.holder[ov])),
                b.id_no("card").take(pa.array(t.holder[ov])),
                kv(
                    ("limit", money_text(limit[ov])),
                    ("balance", money_text(new_owed[ov])),
                    ("over", money_text(new_owed[ov] - limit[ov])),
                ),
            )

    def _loans(self) -> None:
        b = self.b
        for system in ("pl", "crd"):
            t = b.pl if system == "pl" else b.crd
            nm = t.num
            planted = (self.i >= nm["od_start"]) & (nm["od_start"] >= 0)
            od = np.where(nm["od0"] > 0, nm["od0"] + self.i, np.where(planted, self.i - nm["od_start"] + 1, 0))
            cls = nm["class"].copy()
            cls = np.where(self.i >= nm["down1"], 2, cls)
            cls = np.where(self.i >= nm["down2"], 3, cls)
            if system == "pl":
                paid_until = self.date - od * DAY
                bal = b.pl_balance(self.date, paid_until)
                od_amt = np.where(od > 0, np.round(nm["installment"] * np.ceil(np.maximum(od, 1) / 30) * 100), 0)
            else:
                bal = nm["balance"]
                interest = bal * nm["rate"] / 10000 / 12
                od_amt = np.where(
                    nm["od0"] > 0,
                    np.round(bal * nm["od_amt_share"]),
                    np.where(od > 0, np.round(interest * np.ceil(np.maximum(od, 1) / 30)), 0),
                )
            od_amt = np.maximum(od_amt.astype(np.int64), np.where(od > 0, 100, 0))
            self.loan_state[system] = {
                "od": od,
                "class": cls,
                "balance": np.asarray(bal, dtype=np.int64),
                "od_amt": od_amt,
            }
            ids = b.id_no(system)
            first = np.flatnonzero(planted & (nm["od_start"] == self.i))
            if self.i == 0:
                first = np.union1d(first, np.flatnonzero(nm["od0"] > 0))
            if len(first):
                b.gt.add(
                    "loan_overdue",
                    self.ymd,
                    system,
                    t.key.take(pa.array(first)),
                    b.pop.id_type().take(pa.array(t.holder[first])),
                    ids.take(pa.array(t.holder[first])),
                    kv(
                        ("overdue_days", num(od[first])),
                        ("overdue_amount", money_text(od_amt[first])),
                        ("since", _codes(("window", "before"), (nm["od0"][first] > 0).astype(np.int64))),
                    ),
                )
            for step, old, new in (("down1", "1", "2"), ("down2", "2", "3")):
                hit = np.flatnonzero(nm[step] == self.i)
                if len(hit):
                    b.gt.add(
                        "loan_downgrade",
                        self.ymd,
                        system,
                        t.key.take(pa.array(hit)),
                        b.pop.id_type().take(pa.array(t.holder[hit])),
                        ids.take(pa.array(t.holder[hit])),
                        kv(("class", f"{old}->{new}"), ("overdue_days", num(od[hit]))),
                    )

    def maturities(self) -> None:
        b = self.b
        for t, system, event in (
            (b.sav, "sav", "fixed_deposit_maturity"),
            (b.corp, "corp", "fixed_deposit_maturity"),
            (b.wm, "wm", "wealth_maturity"),
        ):
            hit = np.flatnonzero(t.num["maturity"] == self.date)
            if not len(hit):
                continue
            if system == "wm":
                amount, product = t.num["amount"][hit], pa.array(np.asarray(b.wealth_codes)[t.num["prod"][hit]])
            else:
                prods = SAV_PRODUCTS if system == "sav" else CORP_PRODUCTS
                amount, product = t.num["balance"][hit], _codes(prods, t.num["prod"][hit])
            b.gt.add(
                event,
                self.ymd,
                system,
                t.key.take(pa.array(hit)),
                b.pop.id_type().take(pa.array(t.holder[hit])),
                b.id_no(system).take(pa.array(t.holder[hit])),
                kv(("product", product), ("amount", money_text(amount)), ("maturity_date", self.ymd)),
            )

    # ---- frames -----------------------------------------------------------------------------------
    def _holder_cols(self, t: Table, encoding: str) -> dict[str, Any]:
        k = (t.system, encoding)
        if k not in self.holder_cache:
            b = self.b
            h = pa.array(t.holder)
            self.holder_cache[k] = {
                "cust_id": b.cust_ids(t.system).take(h),
                "id_type": b.pop.id_type().take(h),
                "id_no": b.id_no(t.system).take(h),
                "cust_name": b.pop.name(encoding).take(h),
                "_bad": b.pop.id_no_bad().take(h),
            }
        return self.holder_cache[k]

    def frame(self, feed: Feed) -> Frame:
        return getattr(self, "_f_" + feed.code if feed.name != "org" else "_f_org")(feed)  # type: ignore[no-any-return]

    def _frame(
        self, feed: Feed, t: Table, cols: dict[str, Any], cents: dict[str, Arr], scales: dict[str, int] | None = None
    ) -> Frame:
        hc = self._holder_cols(t, feed.encoding)
        full = {feed.key[0]: t.key}
        full.update({c: hc[c] for c in ("cust_id", "id_type", "id_no", "cust_name")})
        full.update(cols)
        return Frame(feed, full, cents, scales or {}, t.protected.copy(), bad_id=hc["_bad"])

    def _f_cif_customer(self, feed: Feed) -> Frame:
        b, pop = self.b, self.b.pop
        enc = feed.encoding
        if ("cif", enc) not in self.holder_cache:
            personal = pop.personal
            self.holder_cache[("cif", enc)] = {
                "cust_id": b.cust_ids("cif"),
                "cust_type": num(pop.ctype),
                "name": pop.name(enc),
                "id_type": pop.id_type(),
                "id_no": pop.id_no(),
                "gender": pa.array(np.where(pop.male, "M", "F"), pa.string(), mask=~personal),
                "birth_date": _date_col(np.where(personal, pop.birth, np.datetime64("NaT"))),
                "phone": pop.phone_text(),
                "address": pop.address(enc),
                "industry": as_text(pop.industry_code()),
                "org_code": as_text(words(tuple(o.code for o in b.tree.orgs), pop.home, "ascii")),
                "open_date": _date_col(pop.since),
            }
        cols = dict(self.holder_cache[("cif", enc)])
        return Frame(feed, cols, {}, {}, b.protected_holder.copy(), bad_id=pop.id_no_bad(), personal=pop.personal)

    def _f_sav_account(self, feed: Feed) -> Frame:
        t = self.b.sav
        nm = t.num
        fixed = nm["term"] > 0
        cols = {
            "product": _codes(SAV_PRODUCTS, nm["prod"]),
            "currency": _codes(layouts.CURRENCIES, nm["cur"]),
            "org_code": t.org,
            "open_date": _date_col(nm["open"]),
            "maturity_date": _date_col(nm["maturity"]),
            "term_months": nullable_int(nm["term"], fixed),
            "status": _codes(layouts.ACCOUNT_STATUS, nm["status"]),
        }
        return self._frame(feed, t, cols, {"rate": nm["rate"], "balance": nm["balance"]})

    def _f_corp_account(self, feed: Feed) -> Frame:
        t = self.b.corp
        nm = t.num
        cols = {
            "product": _codes(CORP_PRODUCTS, nm["prod"]),
            "currency": _codes(layouts.CURRENCIES, nm["cur"]),
            "org_code": t.org,
            "open_date": _date_col(nm["open"]),
            "maturity_date": _date_col(nm["maturity"]),
            "status": _codes(layouts.ACCOUNT_STATUS, nm["status"]),
        }
        return self._frame(feed, t, cols, {"rate": nm["rate"], "balance": nm["balance"]})

    def _f_crd_loan(self, feed: Feed) -> Frame:
        t = self.b.crd
        return self._loan_frame(
            feed, t, "crd", _codes(("CORP_LOAN",), np.zeros(len(t), dtype=np.int64)), "contract_amount"
        )

    def _f_pl_loan(self, feed: Feed) -> Frame:
        t = self.b.pl
        return self._loan_frame(feed, t, "pl", _codes(PL_PRODUCTS, t.num["prod"]), "loan_amount")

    def _loan_frame(self, feed: Feed, t: Any, system: str, product: Any, amount_column: str) -> Frame:
        """Corporate and personal loans share their columns but for the product and the amount's name."""
        nm, st = t.num, self.loan_state[system]
        cols = {
            "product": product,
            "org_code": t.org,
            "start_date": _date_col(nm["start"]),
            "maturity_date": _date_col(nm["maturity"]),
            "five_class": num(st["class"]),
            "overdue_days": num(st["od"]),
        }
        cents = {
            amount_column: nm["amount"],
            "balance": st["balance"],
            "rate": nm["rate"],
            "overdue_amount": st["od_amt"],
        }
        return self._frame(feed, t, cols, cents)

    def _f_card_account(self, feed: Feed) -> Frame:
        t = self.b.card
        nm = t.num
        cols = {
            "org_code": t.org,
            "open_date": _date_col(nm["open"]),
            "overdue_days": num(np.zeros(len(t), dtype=np.int64)),
            "status": _codes(layouts.ACCOUNT_STATUS, nm["status"]),
        }
        cents = {
            "credit_limit": nm["limit"],
            "balance": nm["balance"],
            "overdraft_amount": np.maximum(nm["balance"] - nm["limit"], 0),
            "overdue_amount": np.zeros(len(t), dtype=np.int64),
        }
        return self._frame(feed, t, cols, cents)

    def _f_wm_holding(self, feed: Feed) -> Frame:
        b = self.b
        t = b.wm
        nm = t.num
        fund = nm["fund"]
        code = pc.if_else(
            pa.array(fund),
            words(b.fund_codes, np.where(fund, nm["prod"], 0), "ascii"),
            words(b.wealth_codes, np.where(fund, 0, nm["prod"]), "ascii"),
        )
        cols = {
            "product_code": as_text(code),
            "product_type": _codes(("WEALTH", "FUND"), fund.astype(np.int64)),
            "org_code": t.org,
            "buy_date": _date_col(nm["buy"]),
            "maturity_date": _date_col(nm["maturity"]),
        }
        f = self._frame(feed, t, cols, {"amount": nm["amount"], "expected_yield": nm["yield"]})
        f.cols["_valid_expected_yield"] = ~fund
        return f

    def _f_hpf_account(self, feed: Feed) -> Frame:
        b = self.b
        t = b.hpf
        nm = t.num
        cols = {
            "employer_name": b.pop.name(feed.encoding).take(pa.array(nm["employer"])),
            "org_code": t.org,
            "open_date": _date_col(nm["open"]),
            "status": _codes(layouts.ACCOUNT_STATUS, nm["status"]),
        }
        return self._frame(feed, t, cols, {"balance": nm["balance"], "monthly_deposit": nm["monthly"]})

    def _f_txn(self, feed: Feed) -> Frame:
        system = feed.system
        tx, t, memos, (inc_flag, dec_flag) = self.day_txns[system]
        n = len(tx)
        seq = np.arange(1, n + 1, dtype=np.int64)
        prefix = {"sav": "S", "corp": "G", "card": "K"}[system]
        cols = {
            "txn_id": concat(pa.scalar(prefix.encode()), pa.scalar(self.ymd.encode()), zpad(seq, 10)),
            ("card_no" if system == "card" else "account_no"): t.key.take(pa.array(tx.acct)),
            "txn_date": pa.array(np.full(n, int(self.ymd), dtype=np.int64)),
            "txn_time": zpad(tx.seconds // 3600 * 10000 + tx.seconds % 3600 // 60 * 100 + tx.seconds % 60, 6),
            "dc": _codes((dec_flag, inc_flag), tx.increase.astype(np.int64)),
            "channel": _codes(layouts.CHANNELS, tx.channel),
            "memo": as_text(words(memos, tx.memo, feed.encoding)),
        }
        return Frame(feed, cols, {"amount": tx.amount, "balance_after": tx.balance_after}, {}, tx.forced.copy())

    _f_sav_txn = _f_txn
    _f_corp_txn = _f_txn
    _f_card_txn = _f_txn

    def _f_org(self, feed: Feed) -> Frame:
        rows = orgs_mod.system_org_rows(self.b.tree, feed.system)
        enc = feed.encoding
        cols = {
            "org_code": pa.array([r[0] for r in rows], pa.string()),
            "org_name": as_text(pa.array([r[1].encode(enc) for r in rows], pa.binary())),
            "parent_code": pa.array([r[2] for r in rows], pa.string()),
        }
        return Frame(feed, cols, {}, {}, np.ones(len(rows), dtype=bool))


def txns_channels(spec: dict[str, float]) -> tuple[Arr, Arr]:
    p = np.asarray(list(spec.values()), dtype=float)
    return np.asarray([CH[c] for c in spec], dtype=np.int64), p / p.sum()
