"""Throughput of the synthetic bank generator (run by hand, never by CI).

    .venv/bin/python bench/generate.py --customers 100000 --days 5 [--keep DIR]

Writes into a temporary directory (deleted afterwards unless --keep) and prints rows/s and MB/s.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from bankcrm.synth.generate import Options, generate


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--customers", type=int, default=100_000)
    p.add_argument("--days", type=int, default=5)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--keep", type=Path)
    a = p.parse_args()
    out = a.keep or Path(tempfile.mkdtemp(prefix="bankcrm-bench-"))
    try:
        t0 = time.perf_counter()
        s = generate(Options(a.customers, a.days, a.seed, out))
        dt = time.perf_counter() - t0
    finally:
        if a.keep is None:
            shutil.rmtree(out, ignore_errors=True)
    print(f"{a.customers:,} customers x {a.days} days: {s.files} files, {s.rows:,} rows, {s.bytes / 1e6:,.1f} MB")
    print(f"{dt:,.1f} s  {s.rows / dt:,.0f} rows/s  {s.bytes / 1e6 / dt:,.1f} MB/s")


if __name__ == "__main__":
    main()
