"""Loading one business date of core-system files into the analytical store (ETL-2..ETL-5).

For each feed: decode (GBK is transcoded to UTF-8 in large chunks), let the engine parse the file
with every column as text (rows with the wrong number of columns or broken text go to the reject
store with their line number), validate every row with SQL generated from the layouts, put bad rows
in the reject store with the reason, check the control record, and only when every file of the date
passes, publish the date in one transaction: readers see the previous complete state until the
commit, and a crash at any point leaves them there. ``accepted + rejected = received`` per file is
checked (a failed check fails the date).

Files are read only as regular files lying in the load folder itself: a symbolic link, a folder or a
device where a file belongs fails the date with its own message. A field holding a control character
(NUL, escape, a carriage return; a tab unless its column allows one) rejects its row. Rejected rows
keep at most ``RAW_LIMIT`` characters of their line (control characters replaced), and the source
org code when the layout has one, by which the reject viewer scopes them.
"""

from __future__ import annotations

import codecs
import os
import stat
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

import duckdb

from bankcrm.etl.formats import FormatError, Formats, apply_formats, check_formats, configured_formats
from bankcrm.etl.layouts import FEEDS, Feed
from bankcrm.etl.rules import CONTROL, CONTROL_OR_TAB, bad_expr, lit, q, reasons_expr, sql_type, trimmed, typed_expr
from bankcrm.warehouse import PgWarehouse, Query, Warehouse, safe_path

CHUNK = 16 * 1024 * 1024
RAW_LIMIT = 2048
"""Characters of a rejected line kept in the reject store; longer lines end with ``TRUNCATED``."""
TRUNCATED = " …[截断 / truncated]"
PAUSE_ENV = "BANKCRM_TEST_ETL_PAUSE"
"""Tests only: ``<point>:<file>`` makes the loader, at that point (``before_publish`` or
``after_publish``), create ``<file>.reached`` and wait until ``<file>`` exists, so that a test can
kill the process exactly there."""


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


SCHEMA = (
    Query(
        "etl.create.etl_reject",
        "CREATE TABLE IF NOT EXISTS etl_reject (business_date DATE NOT NULL, feed VARCHAR NOT NULL, "
        "file_name VARCHAR NOT NULL, line_no BIGINT NOT NULL, raw VARCHAR, reason VARCHAR NOT NULL)",
    ),
    Query(
        "etl.create.etl_published",
        "CREATE TABLE IF NOT EXISTS etl_published (business_date DATE PRIMARY KEY, published_at TIMESTAMP, "
        "files INTEGER, rows_accepted BIGINT, rows_rejected BIGINT)",
    ),
    # Added later (stores made before keep working): the run that published a date and its files'
    # counts, written in the publishing transaction, so that a run whose process died after publishing
    # is ended with the truth (etl/service.py); the source org code of a rejected row.
    Query("etl.alter.etl_published.run_id", "ALTER TABLE etl_published ADD COLUMN IF NOT EXISTS run_id BIGINT"),
    Query("etl.alter.etl_reject.org_code", "ALTER TABLE etl_reject ADD COLUMN IF NOT EXISTS org_code VARCHAR"),
    Query(
        "etl.create.etl_published_file",
        "CREATE TABLE IF NOT EXISTS etl_published_file (business_date DATE NOT NULL, run_id BIGINT, "
        "feed VARCHAR NOT NULL, file_name VARCHAR NOT NULL, received BIGINT, accepted BIGINT, rejected BIGINT, "
        "amount_total DECIMAL(20, 2), seconds DOUBLE PRECISION)",
    ),
)
CREATE_FACTS = {
    f.code: Query(
        f"etl.create.{fact_table(f)}",
        f"CREATE TABLE IF NOT EXISTS {fact_table(f)} (business_date DATE NOT NULL, line_no BIGINT, "
        + ", ".join(f"{q(c.name)} {sql_type(c)}" for c in f.columns)
        + ")",
    )
    for f in FEEDS
}
# DuckDB prunes by the zone maps it keeps per row group; PostgreSQL needs the indexes.
INDEX_REJECTS = Query(
    "etl.index.etl_reject",
    "CREATE INDEX IF NOT EXISTS ix_etl_reject_date ON etl_reject (business_date, feed, line_no)",
    engines={"postgres"},
)
INDEX_FACTS = {
    f.code: Query(
        f"etl.index.{fact_table(f)}",
        f"CREATE INDEX IF NOT EXISTS ix_{fact_table(f)}_date ON {fact_table(f)} (business_date)",
        engines={"postgres"},
    )
    for f in FEEDS
}
CHECK_ORDER = Query(
    "etl.check_order", "SELECT max(business_date), count(*) FILTER (WHERE business_date = :d) FROM etl_published"
)
LATEST_PUBLISHED = Query("etl.latest_published", "SELECT max(business_date) FROM etl_published")
DELETE_FACTS = {
    f.code: Query(f"etl.delete.{fact_table(f)}", f"DELETE FROM {fact_table(f)} WHERE business_date = :d") for f in FEEDS
}
DELETE_REJECTS = Query("etl.delete.etl_reject", "DELETE FROM etl_reject WHERE business_date = :d AND feed = :f")
DELETE_PUBLISHED = Query("etl.delete.etl_published", "DELETE FROM etl_published WHERE business_date = :d")
DELETE_PUBLISHED_FILES = Query(
    "etl.delete.etl_published_file", "DELETE FROM etl_published_file WHERE business_date = :d"
)
INSERT_PUBLISHED = Query(
    "etl.insert.etl_published",
    "INSERT INTO etl_published (business_date, published_at, files, rows_accepted, rows_rejected, run_id) "
    "VALUES (:d, :at, :n, :a, :r, :run)",
)
INSERT_PUBLISHED_FILE = Query(
    "etl.insert.etl_published_file",
    "INSERT INTO etl_published_file (business_date, run_id, feed, file_name, received, accepted, "
    "rejected, amount_total, seconds) VALUES (:d, :run, :f, :n, :rc, :a, :rj, :amt, :s)",
)


def ensure_schema(wh: Warehouse, feeds: Iterable[Feed] = FEEDS) -> None:
    """The warehouse's tables, in DDL compiled for the store's engine."""
    feeds = list(feeds)
    for ddl in SCHEMA:
        wh.execute(ddl)
    for f in feeds:
        wh.execute(CREATE_FACTS[f.code])
    if wh.dialect == "postgres":
        wh.execute(INDEX_REJECTS)
        for f in feeds:
            wh.execute(INDEX_FACTS[f.code])


def _pause(point: str) -> None:
    spec = os.environ.get(PAUSE_ENV)
    if not spec or not spec.startswith(point + ":"):
        return
    gate = Path(spec.split(":", 1)[1])
    gate.with_name(gate.name + ".reached").touch()
    while not gate.exists():
        time.sleep(0.05)


def checked_file(feed: Feed, path: Path, what: tuple[str, str]) -> Path:
    """``path`` when it is a regular file lying in its folder (no symbolic link, nothing resolving
    elsewhere); otherwise the date fails saying what is there instead."""
    try:
        st = path.lstat()
    except FileNotFoundError:
        raise LoadFailed(f"缺少{what[0]} / {what[1]} missing: {path.name}", feed=feed.code) from None
    if stat.S_ISLNK(st.st_mode):
        raise LoadFailed(
            f"{path.name} 是符号链接，拒绝读取 / is a symbolic link: refused (put the file itself in the folder)",
            feed=feed.code,
        )
    if stat.S_ISDIR(st.st_mode):
        raise LoadFailed(f"{path.name} 是目录而不是文件 / is a folder where a file belongs", feed=feed.code)
    if not stat.S_ISREG(st.st_mode):
        raise LoadFailed(f"{path.name} 不是普通文件 / is not a regular file", feed=feed.code)
    if path.resolve().parent != path.parent.resolve():
        raise LoadFailed(f"{path.name} 指向加载目录之外 / resolves outside the load folder", feed=feed.code)
    return path


def parse_business_date(text: str) -> date:
    try:
        return datetime.strptime(text, "%Y%m%d").date()
    except ValueError:
        raise LoadFailed(f"业务日期须为 YYYYMMDD / the business date must be YYYYMMDD, got {text!r}") from None


def read_control(feed: Feed, path: Path, business_date: str) -> tuple[int, Decimal]:
    checked_file(feed, path, ("控制文件", "control file"))
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


def _looks_utf8(feed: Feed, path: Path) -> LoadFailed:
    return LoadFailed(
        f"{path.name} 文件声明为 GBK，但内容看起来是 UTF-8 / the file is declared GBK but looks like UTF-8 "
        "(set the feed's encoding, or have the file sent in GBK)",
        feed=feed.code,
    )


def _valid_in(path: Path, encoding: str) -> bool:
    """Whether the whole file decodes in ``encoding`` (read in large chunks)."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        with path.open("rb") as src:
            while chunk := src.read(CHUNK):
                decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _utf8_copy(feed: Feed, path: Path, tmp: Path) -> Path:
    """The file as UTF-8 for the engine. GBK is transcoded in large chunks (C speed); a byte that is
    not valid in the declared encoding fails the file with its offset.

    A UTF-8 file declared GBK often decodes as GBK without error (accented Latin letters, much
    Chinese) into garbled text, so the bytes are checked as UTF-8 on the way: a file that is valid
    UTF-8 and holds any multi-byte sequence fails as "declared GBK but looks like UTF-8" (pure ASCII
    is the same in both and loads). Real GBK text is almost never valid UTF-8 as well."""
    if feed.encoding == "utf-8":
        return path
    out = tmp / (path.name + ".utf8")
    decoder = codecs.getincrementaldecoder(feed.encoding)(errors="strict")
    as_utf8: codecs.IncrementalDecoder | None = codecs.getincrementaldecoder("utf-8")(errors="strict")
    multibyte = False
    offset = 0
    with path.open("rb") as src, out.open("w", encoding="utf-8", newline="") as dst:
        while chunk := src.read(CHUNK):
            if as_utf8 is not None and not chunk.isascii():
                multibyte = True
                try:
                    as_utf8.decode(chunk)
                except UnicodeDecodeError:
                    as_utf8 = None  # not UTF-8: no more checking
            try:
                dst.write(decoder.decode(chunk))
            except UnicodeDecodeError as e:
                if as_utf8 is not None and _valid_in(path, "utf-8"):
                    raise _looks_utf8(feed, path) from None
                at = offset + e.start
                raise LoadFailed(
                    f"{path.name} 不是 GBK 编码（第 {at} 字节）/ is not valid GBK at byte {at}",
                    feed=feed.code,
                ) from None
            offset += len(chunk)
        dst.write(decoder.decode(b"", final=True))
    if multibyte and as_utf8 is not None:
        try:
            as_utf8.decode(b"", final=True)
        except UnicodeDecodeError:
            return out
        raise _looks_utf8(feed, path)
    return out


def _check_header(feed: Feed, path: Path) -> None:
    # A UTF-8 byte-order mark before the header is no part of it (the engine skips it too).
    with path.open("r", encoding="utf-8-sig", errors="replace") as fh:
        first = fh.readline().rstrip("\r\n")
    if not first:
        raise LoadFailed(f"{path.name} 为空，缺少表头 / is empty: no header line", feed=feed.code)
    got = [h.strip() for h in first.split(feed.delimiter)]
    if feed.quote:
        got = [h[1:-1] if len(h) > 1 and h[0] == h[-1] == feed.quote else h for h in got]
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


# The in-process staging below (parsing, validating and exporting a file) always runs in DuckDB, on the
# staging connection (``Warehouse.staging``), whatever the store: its SQL is DuckDB's own (read_csv,
# rowid, range, strptime, COPY TO a file), generated per file from the feed layouts with identifiers
# through ``rules.q`` and values bound (``$path``, ``$file``, ``$delim``, ``$quote``); a configured date
# format (checked by ``formats.check_formats``) is written as a quoted literal (``rules.lit``). It is
# DuckDB-only by nature and stays outside the portable layer (decision 0024); the business date it
# writes is checked (``parse_business_date``) before any SQL is made.


def _drop_staging(con: duckdb.DuckDBPyConnection, code: str) -> None:
    con.execute(f"DROP VIEW IF EXISTS rows_{code}")
    for t in ("lines", "checked", "rej_out", "rej", "scan"):
        con.execute(f"DROP TABLE IF EXISTS {t}_{code}")


def _field(feed: Feed, name: str, type_: str) -> str:
    """A field as the checks see it: trimmed, empty meaning missing; a date written in the feed's
    configured format is rewritten as ``YYYYMMDD`` (what the checks and the typed columns read), and
    one that does not parse is kept marked so that the row is rejected as not a valid date."""
    t = trimmed("o_" + name)
    if type_ != "date" or feed.date_format == "%Y%m%d":
        return t
    return (
        f"CASE WHEN {t} IS NULL THEN NULL ELSE coalesce(strftime(try_strptime({t}, {lit(feed.date_format)}), "
        f"'%Y%m%d'), '?' || {t}) END"
    )


def stage_file(con: duckdb.DuckDBPyConnection, feed: Feed, path: Path, business_date: str, tmp: Path) -> FileResult:
    """Parse, validate and stage one file into temp tables ``pub_<feed>`` and ``rej_out_<feed>``."""
    started = time.perf_counter()
    result = FileResult(feed.code, path.name)
    checked_file(feed, path, ("数据文件", "data file"))
    ctl_rows, ctl_amount = read_control(feed, path.with_name(feed.control_name(business_date)), business_date)
    src = _utf8_copy(feed, path, tmp)
    if feed.header:
        _check_header(feed, src)
    code = feed.code
    names = ", ".join(q(c.name) for c in feed.columns)
    _drop_staging(con, code)
    # One pass over the file: parse every column as text and flag the rows failing any check.
    if src.stat().st_size == 0:
        nulls = ", ".join(f"NULL::VARCHAR AS {q(c.name)}" for c in feed.columns)
        con.execute(f"CREATE TEMP TABLE checked_{code} AS SELECT {nulls}, false AS bad, NULL::VARCHAR AS raw LIMIT 0")
        con.execute(
            f"CREATE TEMP TABLE rej_{code} (line BIGINT, csv_line VARCHAR, error_type VARCHAR, error_message VARCHAR)"
        )
    else:
        # Fields are read as "o_<column>" (the text as sent, kept for the raw text of bad rows),
        # trimmed once, then checked; only bad rows build their raw text.
        columns_sql = "{" + ", ".join(f"'o_{c.name}': 'VARCHAR'" for c in feed.columns) + "}"
        values = ", ".join(f"{_field(feed, c.name, c.type)} AS {q(c.name)}" for c in feed.columns)
        sent = ", ".join(f"coalesce({q('o_' + c.name)}, '')" for c in feed.columns)
        try:
            con.execute(
                f"""CREATE TEMP TABLE checked_{code} AS
                SELECT {names}, bad, CASE WHEN bad THEN concat_ws({lit(feed.delimiter)}, {sent}) END AS raw
                FROM (SELECT *, {bad_expr(feed)} AS bad FROM (
                    SELECT *, {values} FROM read_csv($path, delim=$delim, header=$header, columns={columns_sql},
                        auto_detect=false, quote=$quote, escape=$quote, store_rejects=true,
                        rejects_table='rej_{code}', rejects_scan='scan_{code}', strict_mode=true)))""",
                {"path": str(src), "delim": feed.delimiter, "header": feed.header, "quote": feed.quote},
            )
        except duckdb.InvalidInputException:
            # The parser gives up on the whole file (a carriage return inside a line of a file
            # whose lines end differently); its message quotes no data but is long: say it plainly.
            raise LoadFailed(
                f"{path.name} 无法逐行解析（行内有回车符或行尾不一致）/ cannot be split into lines "
                "(a carriage return inside a line, or mixed line endings)",
                feed=code,
            ) from None
    bad_unicode = con.execute(
        f"SELECT min(line) FROM rej_{code} WHERE error_type IN ('INVALID UNICODE', 'INVALID ENCODING')"
    ).fetchone()
    if bad_unicode and bad_unicode[0] is not None:
        at = bad_unicode[0]
        if _valid_in(src, "gbk"):
            raise LoadFailed(
                f"{path.name} 不是 UTF-8 编码（第 {at} 行）：文件声明为 UTF-8，但内容看起来是 GBK / "
                f"is not valid UTF-8 at line {at}: the file is declared UTF-8 but looks like GBK "
                "(set the feed's encoding, or have the file sent in UTF-8)",
                feed=code,
            )
        raise LoadFailed(f"{path.name} 不是 UTF-8 编码（第 {at} 行）/ is not valid UTF-8 at line {at}", feed=code)
    first_line = 2 if feed.header else 1
    key = ", ".join(q(k) for k in feed.key)
    parsed, distinct_keys = con.execute(f"SELECT count(*), count(DISTINCT hash({key})) FROM checked_{code}").fetchone()  # type: ignore[misc]
    broken = con.execute(f"SELECT count(DISTINCT line) FROM rej_{code}").fetchone()[0]  # type: ignore[index]
    result.received = int(parsed) + int(broken)
    if result.received and parsed == 0 and len(feed.columns) > 1:
        raise LoadFailed(
            f"{path.name} 没有一行是 {len(feed.columns)} 列，分隔符或格式错误 / no row has the expected "
            f"{len(feed.columns)} columns: wrong delimiter or layout",
            feed=code,
        )
    if not broken and distinct_keys == parsed:
        # The usual case: every line parsed (line number = position) and no key repeats (distinct
        # hashes prove distinct keys). A view: nothing is copied.
        con.execute(
            f"CREATE TEMP VIEW rows_{code} AS SELECT *, rowid + {first_line} AS line_no, 1 AS occurrence, "
            f"NULL::BIGINT AS first_line FROM checked_{code}"
        )
    else:
        # Line numbers of the parsed rows are the data lines that are not among the broken ones;
        # a repeated key keeps its first line and rejects the others with a pointer to it.
        con.execute(
            f"""CREATE TEMP TABLE lines_{code} AS
            SELECT *, row_number() OVER (PARTITION BY {key} ORDER BY line_no) AS occurrence,
                   min(line_no) OVER (PARTITION BY {key}) AS first_line
            FROM (SELECT c.*, good.line AS line_no
                  FROM (SELECT *, rowid + 1 AS k FROM checked_{code}) c JOIN (
                      SELECT line, row_number() OVER (ORDER BY line) AS k
                      FROM (SELECT range + {first_line} AS line FROM range({result.received}))
                      WHERE line NOT IN (SELECT DISTINCT line FROM rej_{code})
                  ) good USING (k))"""
        )
        con.execute(f"CREATE TEMP VIEW rows_{code} AS SELECT * FROM lines_{code}")
    bd = business_date
    # Bad rows carry the text as sent; a good row rejected as a repeated key shows its trimmed fields.
    raw = (
        f"coalesce(raw, concat_ws({lit(feed.delimiter)}, "
        + ", ".join(f"coalesce({q(c.name)}, '')" for c in feed.columns)
        + "))"
    )
    # The source org code (bounded like the layout's column) scopes the rejected row for viewers;
    # unknown (no such column, a broken line) means head office only.
    org = (
        f"CASE WHEN NOT regexp_matches(org_code, {lit(CONTROL_OR_TAB)}) THEN nullif(left(org_code, 16), '') END"
        if "org_code" in {c.name for c in feed.columns}
        else "NULL::VARCHAR"
    )
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE rej_out_{code} AS
        SELECT business_date, feed, file_name, line_no,
               CASE WHEN length(r) > {RAW_LIMIT} THEN left(r, {RAW_LIMIT}) || {lit(TRUNCATED)} ELSE r END AS raw,
               left(reason, 2000) AS reason, org_code
        FROM (SELECT *, regexp_replace(raw_sent, {lit(CONTROL)}, '�', 'g') AS r FROM (
            SELECT strptime('{bd}', '%Y%m%d')::DATE AS business_date, '{code}' AS feed, $file AS file_name,
                   line_no, {raw} AS raw_sent,
                   concat_ws('; ', nullif({reasons_expr(feed)}, ''),
                             CASE WHEN occurrence > 1 THEN 'duplicate key (first at line ' || first_line || ')' END)
                     AS reason,
                   {org} AS org_code
            FROM rows_{code} WHERE bad OR occurrence > 1
            UNION ALL
            SELECT strptime('{bd}', '%Y%m%d')::DATE, '{code}', $file, line, any_value(csv_line),
                   string_agg(DISTINCT error_type || ': ' || error_message, '; '), NULL::VARCHAR
            FROM rej_{code} GROUP BY line))""",
        {"file": path.name},
    )
    result.accepted = int(
        con.execute(f"SELECT count(*) FROM rows_{code} WHERE NOT bad AND occurrence = 1").fetchone()[0]  # type: ignore[index]
    )
    result.rejected = int(con.execute(f"SELECT count(*) FROM rej_out_{code}").fetchone()[0])  # type: ignore[index]
    check_counts(result)
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
                SELECT try_cast({q(feed.amount)} AS DECIMAL(20, 4)) AS a FROM checked_{code}
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


def check_counts(result: FileResult) -> None:
    """Every received line is accepted or rejected, once: a real check (not an ``assert``, which
    ``python -O`` removes), failing the date with the reason when the engine's counts disagree."""
    if result.accepted + result.rejected != result.received:
        raise LoadFailed(
            f"{result.file_name} 行数核对失败：接收 {result.received}，"
            f"接受 {result.accepted}，拒绝 {result.rejected} / "
            f"count check failed: accepted {result.accepted} + rejected {result.rejected} "
            f"!= received {result.received}; nothing published",
            feed=result.feed,
        )


def check_order(wh: Warehouse, business_date: str) -> bool:
    """True when the date replaces a published one; refuses a new date older than the latest."""
    d = parse_business_date(business_date)
    row = wh.query(CHECK_ORDER, {"d": d})
    latest, exists = (row[0][0], row[0][1]) if row else (None, 0)
    if exists:
        return True
    if latest is not None and d < latest:
        raise LoadFailed(
            f"业务日期须按顺序加载：最新已发布 {latest:%Y%m%d}，不能再加载更早的新日期 {business_date} / "
            f"dates load in order: {latest:%Y%m%d} is published, {business_date} is older and new"
        )
    return False


def latest_published(wh: Warehouse) -> str | None:
    d = wh.scalar(LATEST_PUBLISHED)
    return f"{d:%Y%m%d}" if d else None


def load_date(
    wh: Warehouse,
    in_dir: Path,
    business_date: str,
    feeds: Iterable[Feed] = FEEDS,
    on_file: Callable[[FileResult], None] | None = None,
    run_id: int | None = None,
    formats: Formats | None = None,
) -> DateResult:
    """Validate every file of the date, then publish it atomically (or raise LoadFailed, publishing
    nothing). ``run_id`` is recorded with the published date (and its files' counts).

    Each feed's file format is the layout's unless ``formats`` (feed code -> keys of
    ``formats.KEYS``), or when None the bank's configuration (``BANKCRM_FEED_FORMATS``), says
    otherwise; a bad entry fails the load before any file is read."""
    started = time.perf_counter()
    try:
        feeds = apply_formats(feeds, configured_formats() if formats is None else check_formats(formats))
    except FormatError as e:
        raise LoadFailed(str(e)) from None
    ensure_schema(wh, feeds)
    result = DateResult(business_date)
    result.replaced = check_order(wh, business_date)
    with tempfile.TemporaryDirectory(prefix="bankcrm-etl-") as tmp, wh.staging() as stage:
        try:
            for f in feeds:
                fr = stage_file(stage, f, in_dir / f.file_name(business_date), business_date, Path(tmp))
                result.files.append(fr)
                if on_file:
                    on_file(fr)
            _pause("before_publish")
            _publish(wh, stage, feeds, business_date, result, Path(tmp), run_id)
            _pause("after_publish")
        finally:
            for f in feeds:
                _drop_staging(stage, f.code)
    result.seconds = time.perf_counter() - started
    return result


def _accepted_select(f: Feed, bd: str) -> str:
    typed = ", ".join(f"{typed_expr(c)} AS {q(c.name)}" for c in f.columns)
    return (
        f"SELECT strptime('{bd}', '%Y%m%d')::DATE AS business_date, line_no, {typed} "
        f"FROM rows_{f.code} WHERE NOT bad AND occurrence = 1"
    )


REJECT_COLUMNS = ("business_date", "feed", "file_name", "line_no", "raw", "reason", "org_code")


def _publish(
    wh: Warehouse,
    stage: duckdb.DuckDBPyConnection,
    feeds: list[Feed],
    bd: str,
    result: DateResult,
    tmp: Path,
    run_id: int | None,
) -> None:
    """Replace the date's rows in the fact tables and the reject store and mark it published, in one
    transaction: on the DuckDB store straight from the staging tables, on PostgreSQL with COPY."""
    d = parse_business_date(bd)
    exported: dict[str, tuple[Path, Path]] = {}
    if wh.dialect != "duckdb":
        for f in feeds:
            facts, rejects = tmp / f"{f.code}.csv", tmp / f"{f.code}.rej.csv"
            stage.execute(f"COPY ({_accepted_select(f, bd)}) TO '{safe_path(facts)}' (FORMAT csv, HEADER false)")
            stage.execute(
                f"COPY (SELECT {', '.join(REJECT_COLUMNS)} FROM rej_out_{f.code}) "
                f"TO '{safe_path(rejects)}' (FORMAT csv, HEADER false)"
            )
            exported[f.code] = (facts, rejects)
    with wh.transaction() as tx:
        for f in feeds:
            tx.execute(DELETE_FACTS[f.code], {"d": d})
            tx.execute(DELETE_REJECTS, {"d": d, "f": f.code})
            if isinstance(tx, PgWarehouse):
                facts, rejects = exported[f.code]
                tx.copy_csv(fact_table(f), ["business_date", "line_no", *(c.name for c in f.columns)], facts)
                tx.copy_csv("etl_reject", REJECT_COLUMNS, rejects)
            else:
                stage.execute(f"INSERT INTO {fact_table(f)} BY NAME {_accepted_select(f, bd)}")
                stage.execute(f"INSERT INTO etl_reject BY NAME SELECT * FROM rej_out_{f.code}")
        tx.execute(DELETE_PUBLISHED, {"d": d})
        tx.execute(DELETE_PUBLISHED_FILES, {"d": d})
        tx.execute(
            INSERT_PUBLISHED,
            {
                "d": d,
                "at": datetime.now(UTC).replace(tzinfo=None),
                "n": len(feeds),
                "a": sum(x.accepted for x in result.files),
                "r": sum(x.rejected for x in result.files),
                "run": run_id,
            },
        )
        for x in result.files:
            tx.execute(
                INSERT_PUBLISHED_FILE,
                {
                    "d": d,
                    "run": run_id,
                    "f": x.feed,
                    "n": x.file_name,
                    "rc": x.received,
                    "a": x.accepted,
                    "rj": x.rejected,
                    "amt": x.amount_total,
                    "s": x.seconds,
                },
            )
