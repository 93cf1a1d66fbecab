"""The analytical store (the warehouse): embedded DuckDB by default.

Only one process may write a DuckDB file: the server's job runner, or the CLI while no server
runs. PostgreSQL (and, for a large bank, Spark) come behind the same loader interface.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from bankcrm.config import Settings, get_settings


def warehouse_path(settings: Settings | None = None) -> Path:
    s = settings or get_settings()
    return s.warehouse_path or (s.var_dir / "warehouse.duckdb")


def connect(settings: Settings | None = None, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    path = warehouse_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        return duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as e:
        raise RuntimeError(
            f"数据仓库 {path} 正被其他进程使用（服务器运行时请在界面中发起加载）/ the warehouse {path} is in use "
            f"by another process: while the server runs, start loads from it ({e})"
        ) from None
