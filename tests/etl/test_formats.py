"""Per-bank file formats (ETL-5): set in the bank's configuration, honoured by the loader, refused
loudly when wrong."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from bankcrm.config import get_settings
from bankcrm.etl.formats import FormatError, check_formats, read_formats
from bankcrm.etl.layouts import control_line
from bankcrm.etl.loader import LoadFailed, ensure_schema, load_date
from bankcrm.warehouse import Warehouse

from .test_loader import CIF, CRD, DATE, FEEDS, SAV, cif_row, count, crd_row, rejects, sav_row, write

# The savings feed as another bank sends it: UTF-8, comma-separated, a header line, fields that may be
# enclosed in double quotes, dates as YYYY-MM-DD (the layout says GBK, pipe, no header, YYYYMMDD).
SAV_FORMAT = {"encoding": "UTF8", "delimiter": ",", "header": True, "quote": '"', "date_format": "%Y-%m-%d"}


@pytest.fixture
def con(wh: Warehouse) -> Warehouse:
    ensure_schema(wh, FEEDS)
    return wh


@pytest.fixture
def files(tmp_path: Path) -> Path:
    d = tmp_path / "in"
    d.mkdir()
    write(d, CIF, [cif_row(i) for i in range(1, 4)])
    write(d, CRD, [crd_row(1)])
    return d


@pytest.fixture
def configured(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    get_settings.cache_clear()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()


def _quoted(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


def write_sav_csv(d: Path, rows: list[dict[str, str]], *, extra: str = "") -> None:
    """The savings file in SAV_FORMAT, every text field quoted, dates rewritten as YYYY-MM-DD."""
    cols = list(SAV.columns)

    def field(name: str, value: str) -> str:
        c = next(c for c in cols if c.name == name)
        if c.type == "date" and re.fullmatch(r"\d{8}", value):
            return f"{value[:4]}-{value[4:6]}-{value[6:]}"
        return _quoted(value) if c.type in ("str", "code") and value else value

    lines = [",".join(c.name for c in cols)] + [",".join(field(c.name, r[c.name]) for c in cols) for r in rows]
    text = "".join(line + "\n" for line in lines) + extra
    (d / SAV.file_name(DATE)).write_bytes(text.encode("utf-8"))
    total = sum(float(r["balance"]) for r in rows)
    n = len(rows) + (1 if extra else 0)
    (d / SAV.control_name(DATE)).write_text(control_line(SAV.file_name(DATE), n, f"{total:.2f}", DATE))


def test_a_feed_with_its_own_delimiter_header_quote_and_date_format(con: Warehouse, files: Path) -> None:
    rows = [sav_row(1, cust_name="Smith, John"), sav_row(2, cust_name='The "Best" Co'), sav_row(3)]
    write_sav_csv(files, rows)
    r = load_date(con, files, DATE, FEEDS, formats={"sav_account": SAV_FORMAT})
    sav = r.files[1]
    assert (sav.received, sav.accepted, sav.rejected) == (3, 3, 0)
    got = con.query("SELECT line_no, cust_name, open_date FROM f_sav_account ORDER BY line_no")
    assert [(line, name, f"{d:%Y%m%d}") for line, name, d in got] == [
        (2, "Smith, John", "20200101"),
        (3, 'The "Best" Co', "20200101"),
        (4, "张3", "20200101"),  # UTF-8 as configured, not GBK
    ]


def test_a_date_not_in_the_configured_format_rejects_its_row(con: Warehouse, files: Path) -> None:
    rows = [sav_row(1), sav_row(2, open_date="2020/01/01"), sav_row(3, open_date="01-01-2020")]
    write_sav_csv(files, rows)
    r = load_date(con, files, DATE, FEEDS, formats={"sav_account": SAV_FORMAT})
    assert (r.files[1].accepted, r.files[1].rejected) == (1, 2)
    reasons = dict(rejects(con, SAV))
    assert "open_date: not a valid date" in reasons[3] and "open_date: not a valid date" in reasons[4]
    assert con.scalar("SELECT raw FROM etl_reject WHERE line_no = 3").split(",")[8] == "2020/01/01"  # as sent


def test_without_the_configuration_the_layout_applies(con: Warehouse, files: Path) -> None:
    """The same comma file against the layout (GBK, pipe, no header) fails: the override is what loads it."""
    write_sav_csv(files, [sav_row(1), sav_row(2)])
    with pytest.raises(LoadFailed):
        load_date(con, files, DATE, FEEDS, formats={})
    assert count(con, "etl_published") == 0


@pytest.mark.parametrize("suffix", [".toml", ".json"])
def test_the_banks_configuration_file_is_read(
    con: Warehouse, files: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, configured: None, suffix: str
) -> None:
    cfg = tmp_path / f"feeds{suffix}"
    if suffix == ".json":
        cfg.write_text(json.dumps({"sav_account": SAV_FORMAT}), encoding="utf-8")
    else:
        cfg.write_text(
            '[sav_account]\nencoding = "UTF8"\ndelimiter = ","\nheader = true\nquote = \'"\'\n'
            'date_format = "%Y-%m-%d"\n',
            encoding="utf-8",
        )
    monkeypatch.setenv("BANKCRM_FEED_FORMATS", str(cfg))
    get_settings.cache_clear()
    write_sav_csv(files, [sav_row(1), sav_row(2)])
    r = load_date(con, files, DATE, FEEDS)
    assert r.files[1].accepted == 2 and count(con, "etl_published") == 1


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"sav_accounts": {"header": True}}, "[sav_accounts]: unknown feed"),
        ({"sav_account": {"encoding": "latin-9000"}}, "encoding 'latin-9000' is not supported (UTF-8 or GBK)"),
        ({"sav_account": {"encoding": "gb2312"}}, "encoding 'gb2312' is not supported"),
        ({"sav_account": {"delimiter": "||"}}, "delimiter '||' must be one character"),
        ({"sav_account": {"delimiter": ""}}, "delimiter '' must be one character"),
        ({"sav_account": {"delimiter": "\n"}}, "must be one character"),
        ({"sav_account": {"quote": "''"}}, "quote \"''\" must be one character"),
        ({"sav_account": {"delimiter": ",", "quote": ","}}, "quote and delimiter must differ"),
        ({"sav_account": {"header": "yes"}}, "header must be true or false"),
        ({"sav_account": {"date_format": "%d/%m"}}, "date_format '%d/%m' must hold %Y, %m and %d"),
        ({"sav_account": {"date_format": "YYYY-MM-DD"}}, "must hold %Y, %m and %d"),
        ({"sav_account": {"delim": ","}}, "unknown key 'delim'"),
        ({"sav_account": ","}, "must be a table of format keys"),
    ],
)
def test_a_bad_configuration_fails_the_load_before_any_file(
    con: Warehouse, tmp_path: Path, entry: dict[str, object], message: str
) -> None:
    with pytest.raises(FormatError, match=re.escape(message)):
        check_formats(entry)
    # At load start, before any file is read (the folder does not even exist), nothing published.
    with pytest.raises(LoadFailed, match=r"feed format configuration error: .*" + re.escape(message)):
        load_date(con, tmp_path / "absent", DATE, FEEDS, formats=entry)
    assert count(con, "etl_published") == 0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[sav_account\nheader = true\n", "not valid TOML"),
        ("[crd_loan]\ndelimiter = ';;'\n", "[crd_loan]: delimiter ';;' must be one character"),
        ("header = true\n", "[header]: unknown feed"),
    ],
)
def test_a_bad_configuration_file_names_itself(tmp_path: Path, text: str, message: str) -> None:
    cfg = tmp_path / "feeds.toml"
    cfg.write_text(text, encoding="utf-8")
    with pytest.raises(FormatError, match=re.escape(message)) as e:
        read_formats(cfg)
    assert str(cfg) in str(e.value)
    with pytest.raises(FormatError, match="cannot be read"):
        read_formats(tmp_path / "missing.toml")
    (tmp_path / "list.json").write_text("[1]", encoding="utf-8")
    with pytest.raises(FormatError, match="must map feed codes"):
        read_formats(tmp_path / "list.json")


def test_aliases_are_normalised() -> None:
    assert check_formats({"cif_customer": {"encoding": "cp936"}, "crd_loan": {"encoding": "UTF8", "quote": ""}}) == {
        "cif_customer": {"encoding": "gbk"},
        "crd_loan": {"encoding": "utf-8", "quote": ""},
    }
