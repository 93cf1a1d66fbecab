"""The analytical store: the engines (``engines``) and the portable query layer (``sql``).
See docs/decisions/0008-warehouse-backends.md and 0024-one-portable-analytical-layer.md."""

from bankcrm.warehouse.engines import (
    QUIET,
    DuckWarehouse,
    Params,
    PgWarehouse,
    Warehouse,
    connect,
    safe_path,
    warehouse_path,
)
from bankcrm.warehouse.sql import REGISTRY, Query, column, cond, registered

__all__ = [
    "QUIET",
    "REGISTRY",
    "DuckWarehouse",
    "Params",
    "PgWarehouse",
    "Query",
    "Warehouse",
    "column",
    "cond",
    "connect",
    "registered",
    "safe_path",
    "warehouse_path",
]
