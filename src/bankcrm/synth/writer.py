"""Dirt, then the file: rows of a frame are spoiled at the requested share (recorded in the ground
truth), laid out exactly as the feed's layout says, written in its encoding, and described by its
control record."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]
import pyarrow.csv as pcsv  # type: ignore[import-untyped]

from bankcrm.etl import layouts
from bankcrm.etl.layouts import Feed
from bankcrm.synth.bank import GroundTruth, kv
from bankcrm.synth.cols import format_cents, money, num
from bankcrm.synth.frames import Frame

KINDS = (
    "bad_id_checksum",
    "missing_phone",
    "unknown_code",
    "invalid_date",
    "negative_balance",
    "duplicate_key",
)
"""Row-level dirt; ``two_id_formats`` (one person, 15- and 18-digit IDs in two systems) is planted
once per run in the account tables."""

UNKNOWN_CODE: dict[str, tuple[str, str]] = {
    "cif_customer": ("cust_type", "3"),
    "sav_account": ("currency", "RMB"),
    "sav_txn": ("channel", "WECHAT"),
    "corp_account": ("currency", "RMB"),
    "corp_txn": ("channel", "BANKLINK"),
    "crd_loan": ("product", "CORP_LEASE"),
    "pl_loan": ("product", "CAR_LOAN"),
    "card_account": ("status", "X"),
    "card_txn": ("channel", "WECHAT"),
    "wm_holding": ("product_type", "INSURANCE"),
    "hpf_account": ("status", "Z"),
}


def kinds_for(feed: Feed) -> tuple[str, ...]:
    if feed.name == "org":
        return ()
    names = {c.name for c in feed.columns}
    out = []
    if "id_no" in names:
        out.append("bad_id_checksum")
    if feed.code == "cif_customer":
        out.append("missing_phone")
    if feed.code in UNKNOWN_CODE:
        out.append("unknown_code")
    if any(c.type == "date" and c.required for c in feed.columns):
        out.append("invalid_date")
    if feed.amount and feed.column(feed.amount).non_negative:
        out.append("negative_balance")
    out.append("duplicate_key")
    return tuple(out)


@dataclass(frozen=True)
class Written:
    path: Path
    rows: int
    amount_total: str
    bytes: int


def _mask(n: int, rows: Any) -> Any:
    m = np.zeros(n, dtype=bool)
    m[rows] = True
    return pa.array(m)


def spoil(frame: Frame, share: float, rng: np.random.Generator) -> tuple[tuple[Any, Any], Any]:
    """Spoil rows of ``frame`` in place. Returns the spoiled rows with their kind (index into
    ``kinds_for(feed)``) and the output row order (duplicates appear twice, adjacent)."""
    feed = frame.feed
    kinds = kinds_for(feed)
    n = frame.n
    empty = np.zeros(0, dtype=np.int64)
    if not kinds or share <= 0 or n == 0:
        return (empty, empty), np.arange(n)
    picked = np.flatnonzero((rng.random(n) < share) & ~frame.protected)
    elig = np.ones((len(picked), len(kinds)), dtype=bool)
    if "missing_phone" in kinds and frame.personal is not None:
        elig[:, kinds.index("missing_phone")] = frame.personal[picked]
    score = rng.random(elig.shape) * elig
    kind = np.asarray(np.argmax(score, axis=1), dtype=np.int64)
    cols = frame.cols
    for k, name in enumerate(kinds):
        rows = picked[kind == k]
        if not len(rows):
            continue
        if name == "bad_id_checksum":
            cols["id_no"] = pc.replace_with_mask(cols["id_no"], _mask(n, rows), frame.bad_id.take(pa.array(rows)))
        elif name == "missing_phone":
            cols["phone"] = pc.if_else(_mask(n, rows), pa.scalar(None, pa.string()), cols["phone"])
        elif name == "unknown_code":
            col, bad = UNKNOWN_CODE[feed.code]
            cols[col] = pc.if_else(_mask(n, rows), pa.scalar(bad, pa.string()), cols[col])
        elif name == "invalid_date":
            col = next(c.name for c in feed.columns if c.type == "date" and c.required)
            v = np.asarray(cols[col].to_numpy(zero_copy_only=False), dtype=np.int64).copy()
            v[rows] = v[rows] // 10000 * 10000 + 230  # the 30th of February
            cols[col] = pa.array(v)
        elif name == "negative_balance":
            assert feed.amount is not None
            c = frame.cents[feed.amount].copy()
            c[rows] = -np.maximum(np.abs(c[rows]), 100)
            frame.cents[feed.amount] = c
    dup = picked[kind == kinds.index("duplicate_key")]
    order = np.sort(np.concatenate([np.arange(n), dup]), kind="stable")
    return (picked, kind), order


def write(
    frame: Frame, out_dir: Path, business_date: str, share: float, rng: np.random.Generator, gt: GroundTruth
) -> Written:
    feed = frame.feed
    (picked, kind), order = spoil(frame, share, rng)
    n_out = len(order)
    arrays = []
    for c in feed.columns:
        if c.name in frame.cents:
            valid = frame.cols.get("_valid_" + c.name)
            arr = money(frame.cents[c.name], frame.scales.get(c.name, 2), valid)
        else:
            arr = frame.cols[c.name]
        arrays.append(arr)
    table = pa.table(arrays, names=[c.name for c in feed.columns])
    if n_out != frame.n:
        table = table.take(pa.array(order))
    total = 0
    if feed.amount is not None:
        total = int(frame.cents[feed.amount][order].sum())
    amount_total = format_cents(total) if feed.amount else "0.00"
    path = out_dir / feed.file_name(business_date)
    with pa.OSFile(str(path), "wb") as sink:
        if feed.header:
            sink.write((feed.delimiter.join(c.name for c in feed.columns) + "\n").encode(feed.encoding))
        if n_out:
            pcsv.write_csv(
                table,
                sink,
                pcsv.WriteOptions(
                    include_header=False, delimiter=feed.delimiter, quoting_style="none", batch_size=1 << 16
                ),
            )
        size = sink.tell()
    (out_dir / feed.control_name(business_date)).write_text(
        layouts.control_line(path.name, n_out, amount_total, business_date), encoding="utf-8"
    )
    if len(picked):
        _record(frame, feed, business_date, picked, kind, order, gt)
    return Written(path, n_out, amount_total, size)


def _record(frame: Frame, feed: Feed, business_date: str, picked: Any, kind: Any, order: Any, gt: GroundTruth) -> None:
    kinds = kinds_for(feed)
    header = 2 if feed.header else 1
    dup = kind == kinds.index("duplicate_key")
    # physical line (1-based, header counted) of each spoiled row; for duplicates, the second copy
    line = np.where(dup, np.searchsorted(order, picked, side="right") - 1, np.searchsorted(order, picked)) + header
    rows = pa.array(picked)
    key = frame.cols[feed.key[0]].take(rows)
    names = {c.name for c in feed.columns}
    id_type = frame.cols["id_type"].take(rows) if "id_type" in names else pa.nulls(len(picked), pa.string())
    id_no = frame.cols["id_no"].take(rows) if "id_no" in names else pa.nulls(len(picked), pa.string())
    kind_txt = pa.array(np.asarray(kinds, dtype=object)[kind], pa.string())
    gt.add(
        "dirty_record",
        business_date,
        feed.system,
        key,
        pc.fill_null(id_type, ""),
        pc.fill_null(id_no, ""),
        kv(("kind", kind_txt), ("feed", feed.code), ("line", num(line))),
    )
