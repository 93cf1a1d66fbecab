"""Settings from the environment (prefix ``BANKCRM_``), with embedded defaults under ``./var/``."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BANKCRM_", env_file=".env", extra="ignore")

    var_dir: Path = Path("var")
    database_url: str = ""
    """Operational store. Empty means the embedded SQLite file ``<var_dir>/bankcrm.sqlite3``."""

    warehouse_path: Path | None = None
    """Analytical store (DuckDB file). Empty means ``<var_dir>/warehouse.duckdb``."""

    warehouse_url: str = ""
    """A PostgreSQL URL (``postgresql+psycopg://...``) puts the analytical store on PostgreSQL instead
    of the embedded DuckDB file; files are still validated by DuckDB in-process and published with COPY."""

    inbox_dir: Path | None = None
    """Where the core systems drop their files, one folder per business date (``<inbox>/YYYYMMDD/``).
    Empty means ``<var_dir>/inbox``. Loads started from the UI read only from here."""

    feed_formats: Path | None = None
    """A TOML (``.toml``) or JSON (``.json``) file giving, per feed code, how this bank's core systems
    write that file (``encoding``, ``delimiter``, ``header``, ``quote``, ``date_format``) where it differs
    from the layouts (docs/feeds.md). Checked when a load starts; a bad entry fails the load. Empty:
    the layouts' formats."""

    host: str = "127.0.0.1"
    port: int = 8000
    web_dist: Path = Path("web/dist")
    """Built front-end bundle served at ``/``; missing means API only."""

    cookie_secure: bool = False
    """Set true behind HTTPS so the session cookie carries the Secure flag."""

    audit_key: SecretStr | None = None
    """When set, audit records are chained with HMAC-SHA256 under this key (kept outside the
    database), so someone with database rights alone cannot recompute a rewritten chain."""

    audit_anchor: str = ""
    """Where signed checkpoints of the audit trail's head are appended after every commit that audited
    something (one JSON line each; also logged as ``audit.checkpoint``). Keep it where database rights
    alone cannot reach (another volume, a log shipper, an append-only file): ``bankcrm audit verify``
    then detects records removed from the end of the trail. Empty means ``<var_dir>/audit-anchor.log``;
    ``off`` turns it off (truncation of the newest records then goes unnoticed)."""

    secret_key: SecretStr | None = None
    """Key of the short-lived opaque references the server hands to browsers (e.g. an account picked
    from a query result, whose number the user may not see). Empty means a key generated once into
    ``<var_dir>/secret.key`` (mode 600); set it when several servers share the work."""

    server_timing: bool = True
    """Every answer says how long the server took (``Server-Timing: app;dur=<ms>``), for operators in
    the browser's network tab and for the benchmarks. Turn off to tell clients nothing about timing."""

    login_throttle_per_address: str = "20/5 minutes"
    """Failed sign-ins one client address may make in a moving window before it is answered 429."""
    login_throttle_per_account: str = "10/minute"
    """Sign-in attempts (any outcome) one user name may receive in a moving window before 429."""
    hashing_concurrency: int = Field(default=0, ge=0)
    """Password hashes computed at once (Argon2 is built to be slow); 0 means half the cores, at least
    one, so a burst of sign-ins leaves cores for everyone else."""

    log_level: str = "INFO"
    log_json: bool = True

    # Argon2id cost. Defaults follow RFC 9106's second recommended option; tests lower them.
    argon2_time_cost: int = Field(default=3, ge=1)
    argon2_memory_kib: int = Field(default=65536, ge=8)
    argon2_parallelism: int = Field(default=4, ge=1)

    def resolved_audit_anchor(self) -> Path | None:
        if self.audit_anchor.strip().lower() == "off":
            return None
        return Path(self.audit_anchor) if self.audit_anchor.strip() else self.var_dir / "audit-anchor.log"

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.var_dir / 'bankcrm.sqlite3').as_posix()}"


@lru_cache
def get_settings() -> Settings:
    return Settings()
