"""Sign-in throttling (SEC-6): failed sign-ins are limited per client address, and attempts per account,
before any database work or password hashing, so a password spray is answered 429 with ``Retry-After``
cheaply and cannot starve signed-in users. The lockout (``login.max_failures`` consecutive failures lock
the account for ``login.lockout_minutes``) stays as it is, behind this.

The counters live in the server's memory (the ``limits`` library's moving windows): each server of a
cluster throttles on its own, which bounds what one server spends on hashing; the lockout is shared
through the database.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from limits import RateLimitItem, parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

from bankcrm.errors import TooManyRequests

THROTTLED = "登录尝试过于频繁，请 {s} 秒后再试 / too many sign-in attempts, try again in {s} s"


@dataclass(frozen=True)
class Limits:
    per_address: RateLimitItem
    per_account: RateLimitItem


# Sign-ins one client address may have in progress at once: failures are counted when they are known
# (after the hash), so without this a burst of parallel guesses would all pass the address check.
IN_FLIGHT_PER_ADDRESS = 16  # a branch behind one NAT address signs in at 9 o'clock


class LoginThrottle:
    def __init__(self, *, per_address: str, per_account: str, in_flight: int = IN_FLIGHT_PER_ADDRESS) -> None:
        self.limits = Limits(parse(per_address), parse(per_account))
        self._storage = MemoryStorage()
        self._limiter = MovingWindowRateLimiter(self._storage)
        self._in_flight: dict[str, int] = {}
        self._max_in_flight = in_flight
        self._lock = threading.Lock()

    @contextmanager
    def attempt(self, *, address: str | None, account_key: str) -> Iterator[None]:
        """One sign-in attempt: ``check``, and hold one of the address's in-flight places until the
        outcome is known (429 when they are all taken)."""
        addr = address or "-"
        self.check(address=address, account_key=account_key)
        with self._lock:
            if self._in_flight.get(addr, 0) >= self._max_in_flight:
                raise TooManyRequests(THROTTLED.format(s=1), code="too_many_attempts", retry_after=1)
            self._in_flight[addr] = self._in_flight.get(addr, 0) + 1
        try:
            yield
        finally:
            with self._lock:
                left = self._in_flight[addr] - 1
                if left:
                    self._in_flight[addr] = left
                else:
                    del self._in_flight[addr]

    def _refuse(self, item: RateLimitItem, *keys: str) -> TooManyRequests:
        reset_at = self._limiter.get_window_stats(item, *keys).reset_time
        retry = max(1, math.ceil(reset_at - time.time()))
        return TooManyRequests(THROTTLED.format(s=retry), code="too_many_attempts", retry_after=retry)

    def check(self, *, address: str | None, account_key: str) -> None:
        """Before an attempt: refuse when the address has failed too often, and count the attempt against
        the account (any outcome: a locked account's guesses still cost a hash)."""
        addr = address or "-"
        if not self._limiter.test(self.limits.per_address, "address", addr):
            raise self._refuse(self.limits.per_address, "address", addr)
        if not self._limiter.hit(self.limits.per_account, "account", account_key):
            raise self._refuse(self.limits.per_account, "account", account_key)

    def failed(self, *, address: str | None) -> None:
        """After a failed attempt: count it against the client address."""
        self._limiter.hit(self.limits.per_address, "address", address or "-")

    def reset(self) -> None:
        self._storage.reset()
