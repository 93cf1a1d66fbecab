"""Loading one business date of core-system files into the analytical store (ETL-2..ETL-5).

For each feed: decode (GBK is transcoded to UTF-8 in large chunks), let the engine parse the file
with every column as text (rows with the wrong number of columns or broken text go to the reject
store with their line number), validate every row with SQL generated from the layouts, put bad rows
in the reject store with the reason, check the control record, and only when every file of the date
passes, publish the date in one transaction: readers see the previous complete state until the
commit, and a crash at any point leaves them there. ``accepted + rejected = received`` per file.
"""

from __future__ import annotations

import codecs
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

import duckdb

from bankcrm.etl.layouts import FEEDS, Feed
from bankcrm.etl.rules import q, reasons_expr, sql_type, typed_expr

CHUNK = 16 * 1024 * 1024


class LoadFailed(Exception):
    """The business date cannot be published; ``message`` says which file and why."""

    def __init__(self, message: str, *, feed: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.feed = feed


@dataclass
class FileResult:
    feed: str
    file_name: str
    received: int = 0
    accepted: int = 0
    rejected: int = 0
    amount_total: Decimal = Decimal(0)
    seconds: float = 0.0


@dataclass
class DateResult:
    business_date: str
    files: list[FileResult] = field(default_factory=list)
    replaced: bool = False
    seconds: float = 0.0


def fact_table(feed: Feed) -> str:
    return f"f_{feed.code}"


def ensure_schema(con: duckdb.DuckDBPyConnection, feeds: Iterable[Feed] = FEEDS) -> None:
    con.execute(
        "CREATE TABLE IF NOT EXISTS etl_reject (business_date DATE NOT NULL, feed VARCHAR NOT NULL, "
        "file_name VARCHAR NOT NULL, line_no BIGINT NOT NULL, raw VARCHAR, reason VARCHAR NOT NULL)"
    )
    con.execute(
        "CREATE TABLE IF NOT EXISTS etl_published (business_date DATE PRIMARY KEY, published_at TIMESTAMP, "
        "files INTEGER, rows_accepted BIGINT, rows_rejected BIGINT)"
    )
    for f in feeds:
        cols = ", ".join(f"{q(c.name)} {sql_type(c)}" for c in f.columns)
        con.execute(f"CREATE TABLE IF NOT EXISTS {fact_table(f)} (business_date DATE NOT NULL, line_no BIGINT, {cols})")


def parse_business_date(text: str) -> date:
    try:
        return datetime.strptime(text, "%Y%m%d").date()
    except ValueError:
        raise LoadFailed(f"业务日期须为 YYYYMMDD / the business date must be YYYYMMDD, got {text!r}") from None


def read_control(feed: Feed, path: Path, business_date: str) -> tuple[int, Decimal]:
    if not path.is_file():
        raise LoadFailed(f"缺少控制文件 / control file missing: {path.name}", feed=feed.code)
    try:
        text = path.read_text(encoding="utf-8").strip()
    except UnicodeDecodeError:
        raise LoadFailed(f"控制文件不是 UTF-8 / control file is not UTF-8: {path.name}", feed=feed.code) from None
    parts = text.split("|")
    if len(parts) != 4:
        raise LoadFailed(
            f"控制文件格式错误 / control file must be 'file|rows|amount|date': {path.name}", feed=feed.code
        )
    name, rows, amount, ctl_date = parts
    if name != feed.file_name(business_date) or ctl_date != business_date:
        raise LoadFailed(f"控制文件指向别的文件或日期 / control file is for {name} {ctl_date}", feed=feed.code)
    try:
        return int(rows), Decimal(amount)
    except (ValueError, InvalidOperation):
        raise LoadFailed(f"控制文件数值错误 / control file numbers unreadable: {path.name}", feed=feed.code) from None


def _utf8_copy(feed: Feed, path: Path, tmp: Path) -> Path:
    """The file as UTF-8 for the engine. GBK is transcoded in large chunks (C speed); a byte that is
    not valid in the declared encoding fails the file with its offset."""
    if feed.encoding == "utf-8":
        return path
    out = tmp / (path.name + ".utf8")
    decoder = codecs.getincrementaldecoder("gbk")(errors="strict")
    offset = 0
    with path.open("rb") as src, out.open("w", encoding="utf-8", newline="") as dst:
        while chunk := src.read(CHUNK):
            try:
                dst.write(decoder.decode(chunk))
            except UnicodeDecodeError as e:
                at = offset + e.start
                raise LoadFailed(
                    f"{path.name} 不是 GBK 编码（第 {at} 字节）/ is not valid GBK at byte {at}",
                    feed=feed.code,
                ) from None
            offset += len(chunk)
        dst.write(decoder.decode(b"", final=True))
    return out


def _check_header(feed: Feed, path: Path) -> None:
    with path.open("r", encoding="utf-8", errors="replace") as fh:
        first = fh.readline().rstrip("\r\n")
    if not first:
        raise LoadFailed(f"{path.name} 为空，缺少表头 / is empty: no header line", feed=feed.code)
    got = [h.strip() for h in first.split(feed.delimiter)]
    want = [c.name for c in feed.columns]
    if got != want:
        missing = [c for c in want if c not in got]
        extra = [c for c in got if c not in want]
        hint = " (wrong delimiter?)" if len(got) == 1 and len(want) > 1 else ""
        raise LoadFailed(
            f"{path.name} 表头与接口规范不符 / header does not match the layout{hint}: "
            f"missing {missing or '-'}, unexpected {extra or '-'}",
            feed=feed.code,
        )


def stage_file(con: duckdb.DuckDBPyConnection, feed: Feed, path: Path, business_date: str, tmp: Path) -> FileResult:
    """Parse, validate and stage one file into temp tables ``pub_<feed>`` and ``rej_out_<feed>``."""
    started = time.perf_counter()
    result = FileResult(feed.code, path.name)
    if not path.is_file():
        raise LoadFailed(f"缺少数据文件 / data file missing: {path.name}", feed=feed.code)
    ctl_rows, ctl_amount = read_control(feed, path.with_name(feed.control_name(business_date)), business_date)
    src = _utf8_copy(feed, path, tmp)
    if feed.header:
        _check_header(feed, src)
    code = feed.code
    cols = {c.name: "VARCHAR" for c in feed.columns}
    columns_sql = "{" + ", ".join(f"'{n}': 'VARCHAR'" for n in cols) + "}"
    empty = src.stat().st_size == 0
    names = ", ".join(q(c.name) for c in feed.columns)
    if empty:
        nulls = ", ".join("NULL::VARCHAR AS " + q(n) for n in cols)
        con.execute(f"CREATE OR REPLACE TEMP TABLE stg_{code} AS SELECT {nulls} LIMIT 0")
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE rej_{code} "
            "(line BIGINT, csv_line VARCHAR, error_type VARCHAR, error_message VARCHAR)"
        )
    else:
        con.execute(f"DROP TABLE IF EXISTS rej_{code}")
        con.execute(f"DROP TABLE IF EXISTS scan_{code}")
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE stg_{code} AS SELECT {names} FROM read_csv($path, delim=$delim, "
            f"header=$header, columns={columns_sql}, auto_detect=false, quote='', escape='', "
            f"store_rejects=true, rejects_table='rej_{code}', rejects_scan='scan_{code}', strict_mode=true)",
            {"path": str(src), "delim": feed.delimiter, "header": feed.header},
        )
    bad_unicode = con.execute(
        f"SELECT min(line) FROM rej_{code} WHERE error_type IN ('INVALID UNICODE', 'INVALID ENCODING')"
    ).fetchone()
    if bad_unicode and bad_unicode[0] is not None:
        raise LoadFailed(
            f"{path.name} 不是 UTF-8 编码（第 {bad_unicode[0]} 行）/ is not valid UTF-8 at line {bad_unicode[0]}",
            feed=code,
        )
    first_line = 2 if feed.header else 1
    accepted_structure = con.execute(f"SELECT count(*) FROM stg_{code}").fetchone()[0]  # type: ignore[index]
    broken = con.execute(f"SELECT count(DISTINCT line) FROM rej_{code}").fetchone()[0]  # type: ignore[index]
    result.received = int(accepted_structure) + int(broken)
    if result.received and accepted_structure == 0 and len(feed.columns) > 1:
        raise LoadFailed(
            f"{path.name} 没有一行是 {len(feed.columns)} 列，分隔符或格式错误 / no row has the expected "
            f"{len(feed.columns)} columns: wrong delimiter or layout",
            feed=code,
        )
    # Line numbers of the rows the engine parsed: the data lines that are not among the broken ones
    # (in the usual case of no broken line, simply the row's position).
    if broken:
        line_no = "good.line"
        source = f"""(SELECT *, rowid + 1 AS k FROM stg_{code}) s JOIN (
            SELECT line, row_number() OVER (ORDER BY line) AS k
            FROM (SELECT range + {first_line} AS line FROM range({result.received}))
            WHERE line NOT IN (SELECT DISTINCT line FROM rej_{code})
        ) good USING (k)"""
    else:
        line_no = f"rowid + {first_line}"
        source = f"stg_{code}"
    key = ", ".join(q(k) for k in feed.key)
    key_dups = con.execute(f"SELECT count(*) - count(DISTINCT ({key})) FROM stg_{code}").fetchone()[0]  # type: ignore[index]
    if key_dups:
        occurrence = f"row_number() OVER (PARTITION BY {key} ORDER BY line_no)"
        first = f"min(line_no) OVER (PARTITION BY {key})"
    else:
        occurrence, first = "1", "NULL::BIGINT"
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE checked_{code} AS
        SELECT *, {reasons_expr(feed)} AS reasons, {occurrence} AS occurrence, {first} AS first_line
        FROM (SELECT {names}, {line_no} AS line_no FROM {source})"""
    )
    bd = business_date
    raw = (
        "concat_ws('"
        + feed.delimiter.replace("'", "''")
        + "', "
        + ", ".join(f"coalesce({q(c.name)}, '')" for c in feed.columns)
        + ")"
    )
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE rej_out_{code} AS
        SELECT strptime('{bd}', '%Y%m%d')::DATE AS business_date, '{code}' AS feed, $file AS file_name,
               line_no, {raw} AS raw,
               concat_ws('; ', nullif(reasons, ''),
                         CASE WHEN occurrence > 1 THEN 'duplicate key (first at line ' || first_line || ')' END)
                 AS reason
        FROM checked_{code} WHERE reasons <> '' OR occurrence > 1
        UNION ALL
        SELECT strptime('{bd}', '%Y%m%d')::DATE, '{code}', $file, line, any_value(csv_line),
               string_agg(DISTINCT error_type || ': ' || error_message, '; ')
        FROM rej_{code} GROUP BY line""",
        {"file": path.name},
    )
    result.accepted = int(
        con.execute(f"SELECT count(*) FROM checked_{code} WHERE reasons = '' AND occurrence = 1").fetchone()[0]  # type: ignore[index]
    )
    result.rejected = int(con.execute(f"SELECT count(*) FROM rej_out_{code}").fetchone()[0])  # type: ignore[index]
    assert result.accepted + result.rejected == result.received, (code, result)
    if ctl_rows != result.received:
        raise LoadFailed(
            f"{path.name} 行数与控制文件不符：文件 {result.received} 行，控制文件 {ctl_rows} 行 / "
            f"row count {result.received} differs from the control record's {ctl_rows}",
            feed=code,
        )
    if feed.amount:
        idx = [c.name for c in feed.columns].index(feed.amount) + 1
        got = con.execute(
            f"""SELECT coalesce(sum(a), 0) FROM (
                SELECT try_cast(nullif(trim({q(feed.amount)}), '') AS DECIMAL(20, 4)) AS a FROM stg_{code}
                UNION ALL
                SELECT try_cast(string_split(any_value(csv_line), $delim)[{idx}] AS DECIMAL(20, 4))
                FROM rej_{code} GROUP BY line)""",
            {"delim": feed.delimiter},
        ).fetchone()[0]  # type: ignore[index]
        result.amount_total = Decimal(got).quantize(Decimal("0.01"))
        if result.amount_total != ctl_amount.quantize(Decimal("0.01")):
            raise LoadFailed(
                f"{path.name} 金额合计与控制文件不符：文件 {result.amount_total}，控制文件 {ctl_amount} / "
                f"amount total {result.amount_total} differs from the control record's {ctl_amount}",
                feed=code,
            )
    result.seconds = time.perf_counter() - started
    return result


def check_order(con: duckdb.DuckDBPyConnection, business_date: str) -> bool:
    """True when the date replaces a published one; refuses a new date older than the latest."""
    d = parse_business_date(business_date)
    row = con.execute(
        "SELECT max(business_date), count(*) FILTER (WHERE business_date = $d) FROM etl_published", {"d": d}
    ).fetchone()
    latest, exists = (row[0], row[1]) if row else (None, 0)
    if exists:
        return True
    if latest is not None and d < latest:
        raise LoadFailed(
            f"业务日期须按顺序加载：最新已发布 {latest:%Y%m%d}，不能再加载更早的新日期 {business_date} / "
            f"dates load in order: {latest:%Y%m%d} is published, {business_date} is older and new"
        )
    return False


def load_date(
    con: duckdb.DuckDBPyConnection,
    in_dir: Path,
    business_date: str,
    feeds: Iterable[Feed] = FEEDS,
    on_file: Callable[[FileResult], None] | None = None,
) -> DateResult:
    """Validate every file of the date, then publish it atomically (or raise LoadFailed, publishing nothing)."""
    started = time.perf_counter()
    feeds = list(feeds)
    ensure_schema(con, feeds)
    result = DateResult(business_date)
    result.replaced = check_order(con, business_date)
    with tempfile.TemporaryDirectory(prefix="bankcrm-etl-") as tmp:
        for f in feeds:
            fr = stage_file(con, f, in_dir / f.file_name(business_date), business_date, Path(tmp))
            result.files.append(fr)
            if on_file:
                on_file(fr)
    d = parse_business_date(business_date)
    con.execute("BEGIN TRANSACTION")
    try:
        for f in feeds:
            con.execute(f"DELETE FROM {fact_table(f)} WHERE business_date = $d", {"d": d})
            typed = ", ".join(f"{typed_expr(c)} AS {q(c.name)}" for c in f.columns)
            con.execute(
                f"INSERT INTO {fact_table(f)} BY NAME SELECT $d AS business_date, line_no, {typed} "
                f"FROM checked_{f.code} WHERE reasons = '' AND occurrence = 1",
                {"d": d},
            )
            con.execute("DELETE FROM etl_reject WHERE business_date = $d AND feed = $f", {"d": d, "f": f.code})
            con.execute(f"INSERT INTO etl_reject BY NAME SELECT * FROM rej_out_{f.code}")
        con.execute(
            "INSERT OR REPLACE INTO etl_published VALUES ($d, now()::TIMESTAMP, $n, $a, $r)",
            {
                "d": d,
                "n": len(feeds),
                "a": sum(x.accepted for x in result.files),
                "r": sum(x.rejected for x in result.files),
            },
        )
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    finally:
        for f in feeds:
            for t in ("stg", "checked", "rej_out"):
                con.execute(f"DROP TABLE IF EXISTS {t}_{f.code}")
    result.seconds = time.perf_counter() - started
    return result
