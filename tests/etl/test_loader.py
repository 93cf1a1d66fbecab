"""Loading a business date: every bad input of the data issue gives a clear answer and loses nothing."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from bankcrm.etl.layouts import Feed, control_line, feed
from bankcrm.etl.loader import LoadFailed, ensure_schema, load_date
from bankcrm.warehouse import Warehouse

from ..builders import resident_id

DATE = "20260105"
CIF = feed("cif_customer")  # GBK, pipe, no header
SAV = feed("sav_account")  # GBK, pipe, no header, amount = balance
CRD = feed("crd_loan")  # UTF-8, pipe, header, amount = balance
FEEDS = (CIF, SAV, CRD)
USCC = "91350100M000100Y43"


def cif_row(n: int, **kw: str) -> dict[str, str]:
    row = {
        "cust_id": f"C{n:05d}",
        "cust_type": "1",
        "name": f"张{n}",
        "id_type": "101",
        "id_no": resident_id(seq=f"{n % 1000:03d}"),
        "gender": "M",
        "birth_date": "19850612",
        "phone": "13812345678",
        "address": "江苏省南京市",
        "industry": "",
        "org_code": "320106",
        "open_date": "20200101",
    }
    return row | kw


def sav_row(n: int, **kw: str) -> dict[str, str]:
    row = {
        "account_no": f"6222{n:08d}",
        "cust_id": f"S{n}",
        "id_type": "101",
        "id_no": resident_id(seq=f"{n % 1000:03d}"),
        "cust_name": f"张{n}",
        "product": "SAV_DEMAND",
        "currency": "CNY",
        "org_code": "320106",
        "open_date": "20200101",
        "maturity_date": "",
        "term_months": "",
        "rate": "0.25",
        "balance": f"{n * 100}.50",
        "status": "A",
    }
    return row | kw


def crd_row(n: int, **kw: str) -> dict[str, str]:
    row = {
        "contract_no": f"HT{n:06d}",
        "cust_id": f"K{n}",
        "id_type": "201",
        "id_no": USCC,
        "cust_name": "南京恒通科技有限公司",
        "product": "CORP_LOAN",
        "org_code": "320100",
        "start_date": "20250101",
        "maturity_date": "20270101",
        "contract_amount": "1000000.00",
        "balance": "800000.00",
        "rate": "3.85",
        "five_class": "1",
        "overdue_days": "0",
        "overdue_amount": "0",
    }
    return row | kw


def write(
    d: Path,
    f: Feed,
    rows: list[dict[str, str]],
    *,
    date: str = DATE,
    extra_lines: list[str] | None = None,
    ctl_rows: int | None = None,
    ctl_amount: str | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    truncate_last: bool = False,
    bom: bytes | None = None,
) -> None:
    delim = delimiter or f.delimiter
    lines = [delim.join(r[c.name] for c in f.columns) for r in rows] + (extra_lines or [])
    if truncate_last and lines:
        lines[-1] = lines[-1][: len(lines[-1]) // 2]
    text = ("" if not f.header else delim.join(c.name for c in f.columns) + "\n") + "".join(
        line + "\n" for line in lines
    )
    if truncate_last:
        text = text.rstrip("\n")
    # A lone surrogate escape in a line stands for that raw byte (a byte no encoding can hold).
    (d / f.file_name(date)).write_bytes((bom or b"") + text.encode(encoding or f.encoding, "surrogateescape"))
    amount = sum((Decimal(r[f.amount]) for r in rows), Decimal(0)) if f.amount else Decimal(0)
    (d / f.control_name(date)).write_text(
        control_line(
            f.file_name(date), len(lines) if ctl_rows is None else ctl_rows, ctl_amount or f"{amount:.2f}", date
        ),
        encoding="utf-8",
    )


@pytest.fixture
def con(wh: Warehouse) -> Warehouse:
    """The analytical store the suite runs on (DuckDB, or PostgreSQL in the PostgreSQL pass)."""
    ensure_schema(wh, FEEDS)
    return wh


@pytest.fixture
def files(tmp_path: Path) -> Path:
    d = tmp_path / "in"
    d.mkdir()
    write(d, CIF, [cif_row(i) for i in range(1, 6)])
    write(d, SAV, [sav_row(i) for i in range(1, 6)])
    write(d, CRD, [crd_row(i) for i in range(1, 4)])
    return d


def count(con: Warehouse, table: str) -> int:
    return int(con.scalar(f"SELECT count(*) FROM {table}"))


def rejects(con: Warehouse, f: Feed) -> list[tuple[int, str]]:
    return [
        (r[0], r[1])
        for r in con.query("SELECT line_no, reason FROM etl_reject WHERE feed = :f ORDER BY line_no", {"f": f.code})
    ]


def test_clean_date_loads_and_publishes(con: Warehouse, files: Path) -> None:
    r = load_date(con, files, DATE, FEEDS)
    assert [(x.feed, x.received, x.accepted, x.rejected) for x in r.files] == [
        ("cif_customer", 5, 5, 0),
        ("sav_account", 5, 5, 0),
        ("crd_loan", 3, 3, 0),
    ]
    assert count(con, "f_sav_account") == 5
    assert con.scalar("SELECT sum(balance) FROM f_sav_account") == Decimal("1502.5")
    assert con.scalar("SELECT name FROM f_cif_customer WHERE cust_id = 'C00001'") == "张1"
    assert count(con, "etl_published") == 1


def test_bad_rows_are_rejected_with_line_and_reason(con: Warehouse, files: Path) -> None:
    bad_id = resident_id()[:-1] + ("0" if resident_id()[-1] != "0" else "1")
    rows = [
        sav_row(1),
        sav_row(2, id_no=bad_id),
        sav_row(3, product="SAV_GOLD"),
        sav_row(4, open_date="20260231"),
        sav_row(5, balance="-10.00"),
        sav_row(6, currency=""),
        sav_row(1, balance="1.00"),
        sav_row(8),
    ]
    extra = ["6222|too|few", "x|" * 20 + "x"]
    write(files, SAV, rows, extra_lines=extra)
    r = load_date(con, files, DATE, FEEDS)
    sav = next(x for x in r.files if x.feed == "sav_account")
    assert (sav.received, sav.accepted, sav.rejected) == (10, 2, 8)
    got = rejects(con, SAV)
    assert [line for line, _ in got] == [2, 3, 4, 5, 6, 7, 9, 10]
    reasons = dict(got)
    assert "id_no: fails the check" in reasons[2]
    assert "product: unknown code" in reasons[3]
    assert "open_date: not a valid date" in reasons[4]
    assert "balance: negative" in reasons[5]
    assert "currency: missing" in reasons[6]
    assert "duplicate key (first at line 1)" in reasons[7]
    assert "MISSING COLUMNS" in reasons[9] and "TOO MANY COLUMNS" in reasons[10]
    raw = con.scalar("SELECT raw FROM etl_reject WHERE line_no = 9")
    assert raw == "6222|too|few"
    accepted_lines = [x[0] for x in con.query("SELECT line_no FROM f_sav_account ORDER BY line_no")]
    assert accepted_lines == [1, 8]


def test_legacy_fifteen_digit_ids_are_accepted(con: Warehouse, files: Path) -> None:
    write(files, CIF, [cif_row(1, id_no="110105491231002"), cif_row(2)])
    r = load_date(con, files, DATE, FEEDS)
    assert r.files[0].rejected == 0


def test_truncated_last_line(con: Warehouse, files: Path) -> None:
    write(files, CRD, [crd_row(1), crd_row(2), crd_row(3)], truncate_last=True, ctl_amount="1600000.00")
    r = load_date(con, files, DATE, FEEDS)
    crd = r.files[2]
    assert (crd.received, crd.accepted, crd.rejected) == (3, 2, 1)
    assert rejects(con, CRD)[0][0] == 4  # header is line 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: write(d, SAV, [sav_row(1)], ctl_rows=2), "row count 1 differs"),
        (lambda d: write(d, SAV, [sav_row(1)], ctl_amount="999.00"), "amount total 100.50 differs"),
        (lambda d: (d / SAV.control_name(DATE)).unlink(), "control file missing"),
        (lambda d: (d / SAV.file_name(DATE)).unlink(), "data file missing"),
        (lambda d: write(d, SAV, [sav_row(1)], encoding="utf-8"), "the file is declared GBK but looks like UTF-8"),
        (lambda d: write(d, SAV, [sav_row(1)], extra_lines=["\udc80"]), "is not valid GBK at byte"),
        (lambda d: write(d, CRD, [crd_row(1)], encoding="gbk"), "the file is declared UTF-8 but looks like GBK"),
        (lambda d: write(d, CRD, [crd_row(1, cust_name="南京")], encoding="gb18030", delimiter="|"), ""),
        (lambda d: write(d, SAV, [sav_row(1), sav_row(2)], delimiter=","), "wrong delimiter"),
        (lambda d: write(d, CRD, [crd_row(1)], delimiter=","), "header does not match the layout (wrong delimiter?)"),
        (lambda d: (d / CRD.file_name(DATE)).write_bytes(b""), "no header line"),
        (lambda d: (d / SAV.control_name(DATE)).write_text("garbage", encoding="utf-8"), "control file must be"),
    ],
)
def test_a_bad_file_fails_the_date_and_publishes_nothing(
    con: Warehouse,
    files: Path,
    change,
    message: str,  # type: ignore[no-untyped-def]
) -> None:
    change(files)
    if not message:  # gb18030 bytes in a UTF-8 feed's data row
        message = "is not valid UTF-8"
    with pytest.raises(LoadFailed, match=re.escape(message)):
        load_date(con, files, DATE, FEEDS)
    assert count(con, "etl_published") == 0
    assert count(con, "f_cif_customer") == 0 and count(con, "etl_reject") == 0


def test_headerless_empty_file_is_an_empty_day(con: Warehouse, files: Path) -> None:
    write(files, SAV, [])
    r = load_date(con, files, DATE, FEEDS)
    assert r.files[1].received == 0 and count(con, "f_sav_account") == 0


def test_rerun_replaces_the_date(con: Warehouse, files: Path) -> None:
    first = load_date(con, files, DATE, FEEDS)
    snapshot = con.query("SELECT * FROM f_sav_account ORDER BY account_no")
    second = load_date(con, files, DATE, FEEDS)
    assert second.replaced and not first.replaced
    assert [(f.received, f.accepted, f.rejected) for f in first.files] == [
        (f.received, f.accepted, f.rejected) for f in second.files
    ]
    assert con.query("SELECT * FROM f_sav_account ORDER BY account_no") == snapshot


def test_a_failed_rerun_keeps_the_published_date(con: Warehouse, files: Path) -> None:
    load_date(con, files, DATE, FEEDS)
    write(files, SAV, [sav_row(1)], ctl_rows=7)
    with pytest.raises(LoadFailed):
        load_date(con, files, DATE, FEEDS)
    assert count(con, "f_sav_account") == 5 and count(con, "etl_published") == 1


def test_dates_load_in_order(con: Warehouse, files: Path, tmp_path: Path) -> None:
    later = tmp_path / "later"
    later.mkdir()
    for f, rows in ((CIF, [cif_row(1)]), (SAV, [sav_row(1)]), (CRD, [crd_row(1)])):
        write(later, f, rows, date="20260106")
    load_date(con, later, "20260106", FEEDS)
    with pytest.raises(LoadFailed, match="dates load in order"):
        load_date(con, files, DATE, FEEDS)
    load_date(con, later, "20260106", FEEDS)  # re-running a published date is allowed
    with pytest.raises(LoadFailed, match="YYYYMMDD"):
        load_date(con, files, "2026-01-05", FEEDS)


def _fail(con: Warehouse, files: Path, message: str) -> None:
    with pytest.raises(LoadFailed, match=re.escape(message)):
        load_date(con, files, DATE, FEEDS)
    assert count(con, "etl_published") == 0 and count(con, "etl_reject") == 0


def test_symlinks_folders_and_devices_are_refused(con: Warehouse, files: Path, tmp_path: Path) -> None:
    """ETL-2: a link in the load folder is never followed (to a file the server can read) and
    published; a folder where a file belongs has its own message."""
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    data, ctl = files / SAV.file_name(DATE), files / SAV.control_name(DATE)
    (outside / data.name).write_bytes(data.read_bytes())
    (outside / ctl.name).write_bytes(ctl.read_bytes())
    data.unlink()
    data.symlink_to(outside / data.name)
    _fail(con, files, "is a symbolic link: refused")
    data.unlink()
    (outside / data.name).rename(data)
    ctl.unlink()
    ctl.symlink_to(outside / ctl.name)  # the control record too
    _fail(con, files, "is a symbolic link: refused")
    ctl.unlink()
    ctl.symlink_to(files / "nothing-here")  # a dangling link is a link, not a missing file
    _fail(con, files, "is a symbolic link: refused")
    ctl.unlink()
    (outside / ctl.name).rename(ctl)
    data.rename(tmp_path / "kept")
    data.mkdir()
    _fail(con, files, "is a folder where a file belongs")
    data.rmdir()
    os.mkfifo(data)
    _fail(con, files, "is not a regular file")
    data.unlink()
    (tmp_path / "kept").rename(data)
    assert load_date(con, files, DATE, FEEDS).files[1].accepted == 5  # the real files load


@pytest.mark.parametrize(
    ("value", "column"),
    [("张\x00三", "name"), ("江苏\x1b[31m省", "address"), ("江苏\t南京", "address"), ("\x7f", "gender")],
)
def test_control_characters_reject_the_row(con: Warehouse, files: Path, value: str, column: str) -> None:
    """NUL, escape, DEL and (where the layout does not allow one) a tab inside a field: the row is
    rejected with the field named, never stored (PostgreSQL would refuse a NUL anyway)."""
    write(files, CIF, [cif_row(1), cif_row(2, **{column: value}), cif_row(3)])
    r = load_date(con, files, DATE, FEEDS)
    assert (r.files[0].accepted, r.files[0].rejected) == (2, 1)
    reason = dict(rejects(con, CIF))[2]
    assert f"control character in field {column}" in reason
    stored = con.query(f"SELECT {column} FROM f_cif_customer")
    assert all(not re.search(r"[\x00-\x1f\x7f]", v or "") for (v,) in stored)
    raw = con.scalar("SELECT raw FROM etl_reject WHERE line_no = 2")
    assert not re.search(r"[\x00-\x08\x0a-\x1f\x7f]", raw)  # kept for the viewer without the control bytes


def test_a_carriage_return_inside_a_line_fails_the_file_plainly(con: Warehouse, files: Path) -> None:
    write(files, CRD, [crd_row(1), crd_row(2, cust_name="南京\r恒通"), crd_row(3)])
    _fail(con, files, "cannot be split into lines")


def test_a_huge_field_keeps_a_bounded_line(con: Warehouse, files: Path) -> None:
    from bankcrm.etl.loader import RAW_LIMIT, TRUNCATED

    # A 1 MB field (rejected by its length), and a line past the engine's 2 MB line limit.
    write(files, CIF, [cif_row(1), cif_row(2, address="x" * 1_000_000), cif_row(3, address="长" * 1_000_000)])
    r = load_date(con, files, DATE, FEEDS)
    assert r.files[0].rejected == 2
    reasons = dict(rejects(con, CIF))
    assert "address: longer than 300" in reasons[2] and "LINE SIZE OVER MAXIMUM" in reasons[3]
    for line in (2, 3):
        raw = con.scalar("SELECT raw FROM etl_reject WHERE line_no = :n", {"n": line})
        assert raw.endswith(TRUNCATED) and len(raw) == RAW_LIMIT + len(TRUNCATED)
    assert con.scalar("SELECT org_code FROM etl_reject WHERE line_no = 2") == "320106"


def test_the_count_check_is_real_under_python_dash_o() -> None:
    """accepted + rejected = received is checked by code that ``python -O`` keeps."""
    code = (
        "from bankcrm.etl.loader import FileResult, LoadFailed, check_counts\n"
        "check_counts(FileResult('sav_account', 'f.dat', received=3, accepted=2, rejected=1))\n"
        "try:\n"
        "    check_counts(FileResult('sav_account', 'f.dat', received=3, accepted=2, rejected=0))\n"
        "except LoadFailed as e:\n"
        "    print(e.feed, e.message)\n"
    )
    out = subprocess.run([sys.executable, "-O", "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.startswith("sav_account ") and "count check failed: accepted 2 + rejected 0 != received 3" in out


def test_a_utf8_byte_order_mark_is_accepted(con: Warehouse, files: Path) -> None:
    """ETL-5: a UTF-8 file starting with a byte-order mark loads, with or without a header line."""
    write(files, CRD, [crd_row(1), crd_row(2)], bom=b"\xef\xbb\xbf")
    r = load_date(con, files, DATE, FEEDS)
    assert (r.files[2].received, r.files[2].accepted) == (2, 2)
    assert con.scalar("SELECT min(contract_no) FROM f_crd_loan") == "HT000001"
    # A headerless UTF-8 feed: the mark is not part of the first field.
    write(files, CIF, [cif_row(1), cif_row(2)], encoding="utf-8", bom=b"\xef\xbb\xbf")
    r = load_date(con, files, DATE, FEEDS, formats={"cif_customer": {"encoding": "utf-8"}})
    assert (r.files[0].accepted, r.files[0].rejected) == (2, 0)
    assert con.scalar("SELECT min(cust_id) FROM f_cif_customer") == "C00001"


@pytest.mark.parametrize("text", ["José Müller", "张三", "Łódź"])
def test_utf8_declared_gbk_never_loads_garbled(con: Warehouse, files: Path, text: str) -> None:
    """ETL-5: UTF-8 bytes that happen to be valid GBK (accented Latin letters, much Chinese) used to
    load silently garbled; a GBK feed whose file is valid UTF-8 with multi-byte characters fails."""
    rows = [cif_row(1, name="Li", address=text), cif_row(2, name="Wang", address="Nanjing")]
    write(files, CIF, rows, encoding="utf-8")
    sent = (files / CIF.file_name(DATE)).read_bytes()
    assert sent.decode("gbk") != sent.decode("utf-8")  # valid GBK: it would load garbled
    _fail(con, files, "文件声明为 GBK，但内容看起来是 UTF-8 / the file is declared GBK but looks like UTF-8")
    assert count(con, "f_cif_customer") == 0
    if text != "Łódź":  # no GBK form
        write(files, CIF, rows)  # the same rows in GBK load as sent
        load_date(con, files, DATE, FEEDS)
        assert con.scalar("SELECT address FROM f_cif_customer WHERE cust_id = 'C00001'") == text


def test_an_ascii_only_gbk_file_loads(con: Warehouse, files: Path) -> None:
    """ASCII is the same in GBK and UTF-8: nothing to tell apart, the file loads."""
    write(files, CIF, [cif_row(i, name=f"Li {i}", address="Nanjing") for i in (1, 2)], encoding="utf-8")
    assert load_date(con, files, DATE, FEEDS).files[0].accepted == 2
