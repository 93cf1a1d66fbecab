"""Exit 0 when a PostgreSQL server answers at the given SQLAlchemy URL (used by `make test`)."""

import sys

import psycopg

url = sys.argv[1].replace("postgresql+psycopg://", "postgresql://")
try:
    with psycopg.connect(url, connect_timeout=3) as conn:
        conn.execute("SELECT 1")
except Exception:
    sys.exit(1)
