"""``bankcrm generate``: a synthetic bank's feeds for consecutive business dates, deterministic per seed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.csv as pcsv  # type: ignore[import-untyped]

from bankcrm.etl import layouts
from bankcrm.synth.bank import Bank
from bankcrm.synth.frames import Daily
from bankcrm.synth.writer import write

Progress = Callable[[str, int, int], None]
"""(what, steps done, steps in all)."""


@dataclass(frozen=True)
class Options:
    customers: int
    days: int
    seed: int
    out: Path
    start: str = "20260105"
    dirty: float = 0.02
    sub_branches: tuple[str, ...] = ()
    """District sub-branches that exist at any size (the demo's logins work at two of them)."""


@dataclass
class Summary:
    files: int = 0
    rows: int = 0
    bytes: int = 0
    events: dict[str, int] = field(default_factory=dict)


def _parse_date(text: str) -> np.datetime64:
    if len(text) != 8 or not text.isdigit():
        raise ValueError("start must be YYYYMMDD")
    return np.datetime64(f"{text[:4]}-{text[4:6]}-{text[6:]}", "D")


def generate(opts: Options, progress: Progress | None = None) -> Summary:
    if opts.customers < 1 or opts.days < 1:
        raise ValueError("customers and days must be at least 1")
    if not 0 <= opts.dirty < 0.5:
        raise ValueError("dirty must be in [0, 0.5)")
    start = _parse_date(opts.start)
    opts.out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(opts.seed)
    steps = 1 + opts.days * len(layouts.FEEDS)
    report = progress or (lambda what, done, total: None)
    report("building the bank", 0, steps)
    bank = Bank(opts.customers, opts.days, start, opts.dirty, rng, opts.sub_branches)
    _write_org_tree(bank, opts.out)
    daily = Daily(bank)
    dirt_rng = np.random.default_rng([opts.seed, 1])
    summary = Summary()
    done = 1
    for _ in range(opts.days):
        daily.advance()
        daily.maturities()
        date = daily.ymd
        if daily.i == 0:
            _two_id_formats(bank, date)
        for feed in layouts.FEEDS:
            report(f"{date} {feed.code}", done, steps)
            w = write(daily.frame(feed), opts.out, date, opts.dirty, dirt_rng, bank.gt)
            summary.files += 1
            summary.rows += w.rows
            summary.bytes += w.bytes
            done += 1
    gt = bank.gt.table()
    pcsv.write_csv(gt, str(opts.out / "ground_truth.csv"), pcsv.WriteOptions(quoting_style="needed"))
    for ev in gt.column("event").to_pylist():
        summary.events[ev] = summary.events.get(ev, 0) + 1
    report("done", steps, steps)
    return summary


def _write_org_tree(bank: Bank, out: Path) -> None:
    lines = ["code,name,level,parent_code"]
    lines += [f"{o.code},{o.name},{o.level},{o.parent or ''}" for o in bank.tree.orgs]
    (out / "org_tree.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _two_id_formats(bank: Bank, date: str) -> None:
    from bankcrm.synth.bank import kv

    for system, mask in bank.alt_id.items():
        t = getattr(bank, system)
        rows = np.flatnonzero(mask[t.holder])
        if not len(rows):
            continue
        h = pa.array(t.holder[rows])
        feed = next(f for f in layouts.FEEDS if f.system == system and f.name != "org")
        bank.gt.add(
            "dirty_record",
            date,
            system,
            t.key.take(pa.array(rows)),
            bank.pop.id_type().take(h),
            bank.id_no(system).take(h),
            kv(("kind", "two_id_formats"), ("feed", feed.code), ("cif_id_no", bank.pop.id_no().take(h))),
        )
