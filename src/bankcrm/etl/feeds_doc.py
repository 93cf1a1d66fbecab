"""Render ``docs/feeds.md`` from the layouts (``bankcrm feeds doc``); a test keeps the file current."""

from __future__ import annotations

from bankcrm.etl.layouts import FEEDS, SYSTEMS, Column, Feed

INTRO = """# Feed layouts (数据接口规范)

This file is generated from `src/bankcrm/etl/layouts.py` (and `feeds_doc.py`) by `bankcrm feeds doc`; do not edit
it by hand.

Every core system drops, for each business date (业务日期) `YYYYMMDD`, one file per feed named
`<system>_<feed>_<YYYYMMDD>.<ext>` and beside it a control file `<system>_<feed>_<YYYYMMDD>.ctl` holding
one line:

```
<file name>|<row count>|<amount total>|<business date>
```

The row count counts data rows (not the header line); the amount total is the sum of the feed's amount
column with two decimals (`0.00` for feeds without one). The control file is UTF-8.

Types: `str` text; `int` whole number; `decimal` number with at most two decimals (rates may have four),
`.` as the decimal point, no thousands separators; `date` `YYYYMMDD`; `code` one of the listed values.
Empty fields are allowed only where *required* says no. Identity numbers (`id_no`) are checked against
`id_type`: resident IDs (101) by the GB 11643 checksum, legacy 15-digit IDs upgraded to 18; unified social
credit codes (201) by the GB 32100 checksum. No field may hold a control character (NUL, escape, DEL, a
carriage return; a tab unless the column allows one, and none does today). A row that fails any check goes
to the reject store with its file, line number, reason, source org code and raw text (at most 2 KB, control
characters replaced, longer lines marked truncated); the rest of the file loads. A control mismatch, a
missing file or an unreadable file fails the whole business date, which is then not published; so does a
line the parser cannot split (a carriage return inside a line) and a failed count check (every line
received must be accepted or rejected exactly once).

Data and control files are read only as regular files lying in the load folder itself: a symbolic link
(even one pointing into the folder), a folder where a file belongs, a device or a pipe fails the date with
its own message. A date folder of the server's inbox that is a link is refused too.

`snapshot` feeds carry the full state of every open account on that date; `events` feeds carry that day's
transactions only.

## File formats per bank

Each feed below states its default format: encoding, delimiter, header line or not, no quote character
(every character is data) and dates as `YYYYMMDD`. Where a bank's core systems write a file differently,
the bank says so in its configuration, not in code: `BANKCRM_FEED_FORMATS` names a TOML (`.toml`) or JSON
(`.json`) file with one entry per feed code, holding only the keys that differ:

```toml
[crd_loan]
delimiter = ","          # one character, not a letter, digit or line end
header = true            # the first line holds the column names, as in the tables below
quote = '"'              # a field may be enclosed in it; a doubled one inside stands for itself
date_format = "%Y-%m-%d" # strptime directives with %Y, %m and %d; dates are stored as dates

[cif_customer]
encoding = "utf-8"       # UTF-8 or GBK (aliases such as UTF8 or cp936 accepted)
```

The file is read when a load starts; an unknown feed or key, another encoding, a delimiter or quote of
more than one character, a quote equal to the delimiter, or a date format without year, month and day
fails the load before any file is read, with a message naming the entry. A date not in the feed's format
rejects its row (`not a valid date`). Rows in the reject store keep the line as sent (in the feed's own
delimiter).

Encodings. A UTF-8 file may start with a byte-order mark (`EF BB BF`); it is skipped. Because UTF-8 bytes
are often valid GBK too (accented Latin letters, much Chinese) and would load garbled, a file declared
GBK that is valid UTF-8 and holds any multi-byte character fails: "文件声明为 GBK，但内容看起来是 UTF-8 /
the file is declared GBK but looks like UTF-8" (a file of plain ASCII is the same in both and loads).
A file declared UTF-8 that is not valid UTF-8 but is valid GBK fails naming GBK; a file valid in neither
fails with the byte (GBK) or line (UTF-8) where it breaks. Either way the date is not published.
"""


def _delim(d: str) -> str:
    return {"|": "`|` (pipe)", ",": "`,` (comma)", "\t": "tab"}.get(d, f"`{d}`")


def _col(c: Column) -> str:
    rules = []
    if c.codes:
        rules.append("one of " + ", ".join(f"`{x}`" for x in c.codes))
    if c.max_length:
        rules.append(f"at most {c.max_length} characters")
    if c.non_negative:
        rules.append("not negative")
    if c.check:
        rules.append(
            {"id_no": "checked against id_type", "uscc": "USCC checksum", "mobile": "11-digit mobile"}[c.check]
        )
    return f"| `{c.name}` | {c.type} | {'yes' if c.required else 'no'} | {c.zh} / {c.en} | {'; '.join(rules)} |"


def _feed(f: Feed) -> str:
    lines = [
        f"### `{f.code}` — {f.zh} / {f.en}",
        "",
        f"File `{f.file_name('YYYYMMDD')}`; encoding **{f.encoding.upper()}**; delimiter {_delim(f.delimiter)}; "
        f"{'first line is a header with the column names' if f.header else 'no header line'}; "
        f"{'quote character `' + f.quote + '`; ' if f.quote else ''}"
        f"{'' if f.date_format == '%Y%m%d' else 'dates `' + f.date_format + '`; '}"
        f"{f.per_day}; key `{', '.join(f.key)}`; control amount: "
        f"{'`' + f.amount + '`' if f.amount else 'none (row count only)'}.",
        "",
        "| column | type | required | meaning | rules |",
        "|---|---|---|---|---|",
        *(_col(c) for c in f.columns),
        "",
    ]
    return "\n".join(lines)


def render() -> str:
    parts = [INTRO]
    for system, (zh, en) in SYSTEMS.items():
        parts.append(f"## `{system}` — {zh} / {en}\n")
        parts.extend(_feed(f) for f in FEEDS if f.system == system)
    return "\n".join(parts)
