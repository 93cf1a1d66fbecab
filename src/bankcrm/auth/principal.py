"""The authenticated caller as services see it: who, where in the org tree, what rights."""

from __future__ import annotations

from dataclasses import dataclass, field

from bankcrm.auth.models import DataScope


@dataclass(frozen=True)
class Actor:
    """Who an audit record names: a user, or the system itself."""

    user_id: int | None
    username: str
    ip: str | None = None


@dataclass(frozen=True)
class Principal:
    user_id: int
    username: str
    display_name: str
    org_id: int
    org_path: str
    data_scope: DataScope
    codes: frozenset[str] = field(default_factory=frozenset)
    ip: str | None = None

    def has(self, code: str) -> bool:
        return code in self.codes

    @property
    def actor(self) -> Actor:
        return Actor(self.user_id, self.username, self.ip)

    @property
    def can_unmask(self) -> bool:
        return "customer.unmask" in self.codes
