"""The authenticated caller as services see it: who, where in the org tree, what rights."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from bankcrm.auth.models import DataScope


@dataclass(frozen=True)
class Actor:
    """Who an audit record names: a user, or the system itself."""

    user_id: int | None
    username: str
    ip: str | None = None


def grant_scopes(grants: Iterable[tuple[DataScope, str | None]]) -> dict[str, DataScope]:
    """For each code, the widest scope among the roles that grant *that* code, from (role scope,
    code) pairs (code None: a role without permissions). A user holding "customer manager" (own
    customers, may reveal) and "lobby manager" (whole org, view only) may view the org but reveal
    only their own customers; a code never borrows another role's scope."""
    out: dict[str, DataScope] = {}
    for scope, code in grants:
        if code is not None and (code not in out or scope.rank > out[code].rank):
            out[code] = scope
    return out


@dataclass(frozen=True)
class Principal:
    user_id: int
    username: str
    display_name: str
    org_id: int
    org_path: str
    data_scope: DataScope
    """The scope this request acts with: narrowed by the access rule to the codes the route needs."""
    scopes: Mapping[str, DataScope] = field(default_factory=dict)
    ip: str | None = None

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(self.scopes)

    def has(self, code: str) -> bool:
        return code in self.scopes

    def scope_of(self, code: str) -> DataScope | None:
        return self.scopes.get(code)

    def acting_as(self, codes: Iterable[str]) -> Principal:
        """This caller with the narrowest scope among ``codes`` (all of which it holds)."""
        wanted = [self.scopes[c] for c in codes if c in self.scopes]
        if not wanted:
            return self
        return replace(self, data_scope=min(wanted, key=lambda s: s.rank))

    @property
    def actor(self) -> Actor:
        return Actor(self.user_id, self.username, self.ip)

    @property
    def can_unmask(self) -> bool:
        """Clear values only where the unmask right reaches as far as this request's scope."""
        own = self.scope_of("customer.unmask")
        return own is not None and own.rank >= self.data_scope.rank

    @property
    def can_view_amounts(self) -> bool:
        """A customer's amounts as numbers (not bands) only where ``customer.amount.view`` reaches as
        far as this request's scope (decision 0017)."""
        own = self.scope_of("customer.amount.view")
        return own is not None and own.rank >= self.data_scope.rank
