"""The synthetic bank generator: layouts, control records, determinism, planted events and dirt."""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from bankcrm.etl import layouts
from bankcrm.etl.layouts import Feed
from bankcrm.idnumbers import is_valid_uscc, normalize_resident_id, upgrade_15_to_18
from bankcrm.synth import vocab
from bankcrm.synth.generate import Options, generate

DATES = ("20260105", "20260106", "20260107")
ROW_KINDS = {"bad_id_checksum", "unknown_code", "invalid_date", "negative_balance", "duplicate_key"}


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("bank")
    generate(Options(customers=300, days=3, seed=11, out=d))
    return d


def read(out: Path, feed: Feed, day: str) -> list[list[str]]:
    raw = (out / feed.file_name(day)).read_bytes()
    rows = list(csv.reader(io.StringIO(raw.decode(feed.encoding), newline=""), delimiter=feed.delimiter))
    if feed.header:
        assert rows[0] == [c.name for c in feed.columns]
        rows = rows[1:]
    return rows


def truth(out: Path) -> list[dict[str, str]]:
    with (out / "ground_truth.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def detail(row: dict[str, str]) -> dict[str, str]:
    return dict(p.split("=", 1) for p in row["detail"].split(";"))


def _date_ok(v: str) -> bool:
    try:
        datetime.strptime(v, "%Y%m%d")
    except ValueError:
        return False
    return len(v) == 8


def row_problems(feed: Feed, row: list[str]) -> list[str]:
    """What the ETL's row checks would reject (as etl/rules.py states them)."""
    probs = []
    rec = dict(zip([c.name for c in feed.columns], row, strict=True))
    for c in feed.columns:
        v = rec[c.name].strip()
        if not v:
            if c.required:
                probs.append(f"{c.name} missing")
            continue
        if c.type == "date" and not _date_ok(v):
            probs.append(f"{c.name} date")
        if c.type == "decimal" and not re.fullmatch(r"-?\d{1,16}(\.\d{1,4})?", v):
            probs.append(f"{c.name} number")
        if c.type == "int" and not re.fullmatch(r"-?\d{1,18}", v):
            probs.append(f"{c.name} int")
        if c.type == "code" and v not in c.codes:
            probs.append(f"{c.name} code")
        if c.non_negative and c.type in ("int", "decimal") and Decimal(v) < 0:
            probs.append(f"{c.name} negative")
        if c.check == "mobile" and not re.fullmatch(r"1[3-9]\d{9}", v):
            probs.append(f"{c.name} mobile")
        if c.check == "id_no":
            if rec["id_type"] == "101" and normalize_resident_id(v) is None:
                probs.append("id_no check")
            if rec["id_type"] == "201" and not is_valid_uscc(v):
                probs.append("id_no check")
        if c.max_length and len(v) > c.max_length:
            probs.append(f"{c.name} length")
    return probs


def test_every_file_parses_under_its_layout_and_matches_its_control(out: Path) -> None:
    for day in DATES:
        for feed in layouts.FEEDS:
            rows = read(out, feed, day)
            assert rows, feed.code
            for r in rows:
                assert len(r) == len(feed.columns), (feed.code, r)
            ctl = (out / feed.control_name(day)).read_text(encoding="utf-8")
            total = Decimal("0.00")
            if feed.amount:
                i = [c.name for c in feed.columns].index(feed.amount)
                total = sum((Decimal(r[i]) for r in rows), Decimal("0.00"))
            assert ctl == layouts.control_line(feed.file_name(day), len(rows), f"{total:.2f}", day)


def test_deterministic_per_seed(out: Path, tmp_path: Path) -> None:
    def digest(d: Path) -> dict[str, str]:
        return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(d.iterdir())}

    again, other = tmp_path / "again", tmp_path / "other"
    generate(Options(customers=300, days=3, seed=11, out=again))
    generate(Options(customers=300, days=3, seed=12, out=other))
    assert digest(again) == digest(out)
    assert digest(other) != digest(out)


def test_dirty_rows_are_exactly_those_in_the_truth(out: Path) -> None:
    listed: dict[tuple[str, str], dict[str, str]] = {}
    kinds: set[str] = set()
    for t in truth(out):
        if t["event"] == "dirty_record":
            d = detail(t)
            kinds.add(d["kind"])
            if d["kind"] in ROW_KINDS:
                listed[(d["feed"], t["business_date"], d["line"])] = d
    assert kinds >= ROW_KINDS | {"missing_phone", "two_id_formats"}
    found = set()
    for day in DATES:
        for feed in layouts.FEEDS:
            rows = read(out, feed, day)
            seen: set[tuple[str, ...]] = set()
            key_idx = [[c.name for c in feed.columns].index(k) for k in feed.key]
            for n, r in enumerate(rows):
                line = str(n + (2 if feed.header else 1))
                key = tuple(r[i] for i in key_idx)
                if row_problems(feed, r) or key in seen:
                    found.add((feed.code, day, line))
                seen.add(key)
    assert found == set(listed)


def test_missing_phones_and_two_id_formats_are_listed(out: Path) -> None:
    cif = layouts.feed("cif_customer")
    t = truth(out)
    for day in DATES:
        rows = read(out, cif, day)
        empty = {r[0] for r in rows if r[7] == ""}
        want = {
            x["account"]
            for x in t
            if x["event"] == "dirty_record" and x["business_date"] == day and detail(x)["kind"] == "missing_phone"
        }
        assert empty == want
    cif_ids = {r[4] for r in read(out, cif, DATES[0])}
    two = [x for x in t if x["event"] == "dirty_record" and detail(x)["kind"] == "two_id_formats"]
    assert two
    for x in two:
        other = detail(x)["cif_id_no"]
        assert other in cif_ids
        a, b = sorted((x["id_no"], other), key=len)
        assert len(a) == 15 and upgrade_15_to_18(a) == b


def test_clean_ids_pass_the_checks(out: Path) -> None:
    rows = read(out, layouts.feed("cif_customer"), DATES[0])
    bad = {x["account"] for x in truth(out) if x["event"] == "dirty_record" and x["business_date"] == DATES[0]}
    personal = [r for r in rows if r[0] not in bad and r[1] == "1"]
    corporate = [r for r in rows if r[0] not in bad and r[1] == "2"]
    assert len(corporate) >= 20 and len(personal) >= 250
    assert all(normalize_resident_id(r[4]) is not None for r in personal)
    assert any(len(r[4]) == 15 for r in rows)
    assert all(is_valid_uscc(r[4]) for r in corporate)
    for r in personal:
        born = date(int(r[6][:4]), int(r[6][4:6]), int(r[6][6:]))
        assert 18 <= (date(2026, 1, 5) - born).days / 365.25 <= 86
        assert normalize_resident_id(r[4])[6:14] == r[6]  # type: ignore[index]


def _by_key(out: Path, code: str, day: str) -> dict[str, dict[str, str]]:
    feed = layouts.feed(code)
    names = [c.name for c in feed.columns]
    return {r[0]: dict(zip(names, r, strict=True)) for r in read(out, feed, day)}


def test_planted_events_are_visible(out: Path) -> None:
    events = [x for x in truth(out) if x["event"] != "dirty_record"]
    by_event = defaultdict(list)
    for x in events:
        by_event[x["event"]].append(x)
    assert set(by_event) == {
        "large_deposit_swing",
        "loan_overdue",
        "loan_downgrade",
        "card_overdraft",
        "fixed_deposit_maturity",
        "wealth_maturity",
    }
    loans = {"pl": "pl_loan", "crd": "crd_loan"}
    for x in by_event["loan_overdue"]:
        row = _by_key(out, loans[x["system"]], x["business_date"])[x["account"]]
        assert int(row["overdue_days"]) > 0 and Decimal(row["overdue_amount"]) > 0
        later = [d for d in DATES if d > x["business_date"]]
        if later:
            nxt = _by_key(out, loans[x["system"]], later[0])[x["account"]]
            assert int(nxt["overdue_days"]) == int(row["overdue_days"]) + 1
    for x in by_event["loan_downgrade"]:
        old, new = detail(x)["class"].split("->")
        assert _by_key(out, loans[x["system"]], x["business_date"])[x["account"]]["five_class"] == new
        prev = DATES[DATES.index(x["business_date"]) - 1]
        assert _by_key(out, loans[x["system"]], prev)[x["account"]]["five_class"] == old
    for x in by_event["card_overdraft"]:
        row = _by_key(out, "card_account", x["business_date"])[x["account"]]
        assert Decimal(row["balance"]) > Decimal(row["credit_limit"])
        assert Decimal(row["overdraft_amount"]) == Decimal(row["balance"]) - Decimal(row["credit_limit"])
    codes = {"sav": "sav_account", "corp": "corp_account", "wm": "wm_holding"}
    for ev in ("fixed_deposit_maturity", "wealth_maturity"):
        for x in by_event[ev]:
            row = _by_key(out, codes[x["system"]], x["business_date"])[x["account"]]
            assert row["maturity_date"] == x["business_date"]
    for x in by_event["large_deposit_swing"]:
        code = codes[x["system"]]
        prev = DATES[DATES.index(x["business_date"]) - 1]

        def total(day: str, id_no: str, code: str = code) -> Decimal:
            return sum(
                (Decimal(r["balance"]) for r in _by_key(out, code, day).values() if r["id_no"] == id_no), Decimal(0)
            )

        before, after = total(prev, x["id_no"]), total(x["business_date"], x["id_no"])
        assert abs(after - before) >= Decimal("0.3") * before


def test_no_overdue_or_overdraft_outside_the_truth(out: Path) -> None:
    t = truth(out)
    overdue = {x["account"] for x in t if x["event"] == "loan_overdue"}
    over = {x["account"] for x in t if x["event"] == "card_overdraft"}
    for day in DATES:
        for code in ("pl_loan", "crd_loan"):
            for k, r in _by_key(out, code, day).items():
                if r["overdue_days"] not in ("0", "") and re.fullmatch(r"\d+", r["overdue_days"]):
                    assert k in overdue
        for k, r in _by_key(out, "card_account", day).items():
            if re.fullmatch(r"\d+\.\d\d", r["overdraft_amount"]) and Decimal(r["overdraft_amount"]) > 0:
                assert k in over


def test_org_codes_used_are_in_the_systems_org_feed(out: Path) -> None:
    tree = list(csv.DictReader((out / "org_tree.csv").open(encoding="utf-8")))
    levels = {r["level"] for r in tree}
    assert levels == {"head", "province", "city", "sub_branch", "outlet"}
    assert tree[0]["code"] == "000000" and tree[0]["parent_code"] == ""
    crm = {r["code"] for r in tree}
    unmapped = 0
    for feed in layouts.FEEDS:
        if feed.name == "org" or "org_code" not in [c.name for c in feed.columns]:
            continue
        org_feed = layouts.feed(f"{feed.system}_org")
        known = {r[0] for r in read(out, org_feed, DATES[0])}
        i = [c.name for c in feed.columns].index("org_code")
        used = {r[i] for r in read(out, feed, DATES[0])}
        assert used <= known, feed.code
        if feed.system == "card":
            assert all(c.startswith("K") and c[1:] in crm for c in used)
        unmapped += len(used - crm - {"K" + c for c in crm})
    assert unmapped >= 1


def test_transactions_agree_with_balances(out: Path) -> None:
    for code, acct in (("sav_txn", "sav_account"), ("card_txn", "card_account")):
        feed = layouts.feed(code)
        key = feed.columns[1].name
        prev, cur = _by_key(out, acct, DATES[0]), _by_key(out, acct, DATES[1])
        names = [c.name for c in feed.columns]
        last: dict[str, Decimal] = {}
        for r in read(out, feed, DATES[1]):
            rec = dict(zip(names, r, strict=True))
            if not row_problems(feed, r):
                assert Decimal(rec["amount"]) > 0
            last[rec[key]] = Decimal(rec["balance_after"])  # dirt spoils other fields, not this one
        checked = 0
        for k, bal in last.items():
            if k in cur and k in prev and not row_problems(layouts.feed(acct), list(cur[k].values())):
                assert Decimal(cur[k]["balance"]) == bal, (code, k)
                checked += 1
        assert checked > 5


def test_heavy_tail_and_text_is_safe(tmp_path: Path) -> None:
    generate(Options(customers=2000, days=1, seed=5, out=tmp_path, dirty=0.0))
    feed = layouts.feed("sav_account")
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for r in read(tmp_path, feed, "20260105"):
        totals[r[3]] += Decimal(r[12])
    vals = sorted(totals.values(), reverse=True)
    assert sum(vals[: len(vals) // 100]) > Decimal("0.2") * sum(vals)
    assert not [x for x in truth(tmp_path) if x["event"] == "dirty_record"]
    for words in (vocab.SURNAMES, vocab.GIVEN_MALE, vocab.GIVEN_FEMALE, vocab.ROADS, vocab.BRANDS):
        for w in words:
            assert b"|" not in w.encode("gbk") and "," not in w
