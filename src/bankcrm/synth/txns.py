"""One day of transactions for a set of accounts, vectorised: counts, amounts, times, channels, and
the running balance after each transaction (chronological within each account)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bankcrm.synth.cols import Arr

# Hour-of-day weights for transaction times (people pay in the day and evening).
_HOURS = np.array([1, 0.5, 0.3, 0.2, 0.2, 0.5, 1.5, 3, 5, 7, 8, 8, 7, 6, 6, 7, 7, 7, 6, 6, 5, 4, 3, 2], dtype=float)
_HOURS = _HOURS / _HOURS.sum()


@dataclass
class Txns:
    acct: Arr  # row index into the account table
    seconds: Arr  # seconds since midnight
    increase: Arr  # bool: the transaction raises the balance column
    amount: Arr  # cents, > 0
    balance_after: Arr  # cents
    channel: Arr  # index into layouts.CHANNELS
    memo: Arr  # index into the memo list of the caller
    forced: Arr  # bool: planted or scheduled (salary, swings, overdraft)

    def __len__(self) -> int:
        return len(self.acct)


@dataclass
class Forced:
    acct: Arr
    increase: Arr
    amount: Arr
    memo: Arr
    channel: Arr
    seconds: Arr

    @staticmethod
    def empty() -> Forced:
        e = np.zeros(0, dtype=np.int64)
        return Forced(e, np.zeros(0, dtype=bool), e, e, e, e)

    def __add__(self, other: Forced) -> Forced:
        return Forced(
            *(
                np.concatenate([getattr(self, f), getattr(other, f)])
                for f in ("acct", "increase", "amount", "memo", "channel", "seconds")
            )
        )


def day(
    rng: np.random.Generator,
    balance: Arr,
    active: Arr,
    rate: Arr,
    p_increase: float,
    increase_scale: Arr,
    decrease_cap: Arr,
    increase_cap: Arr | None,
    inc_memos: int,
    dec_memos: int,
    inc_channels: tuple[Arr, Arr],
    dec_channels: tuple[Arr, Arr],
    forced: Forced,
) -> tuple[Txns, Arr]:
    """Random transactions on ``active`` accounts plus ``forced`` ones. ``decrease_cap`` bounds the sum
    of a day's random decreases per account (so balances never cross zero); ``increase_cap`` likewise
    bounds increases (a card's available credit). Returns the transactions and the new balances."""
    idx = np.flatnonzero(active)
    counts = rng.poisson(rate[idx])
    acct = np.repeat(idx, counts)
    m = len(acct)
    inc = rng.random(m) < p_increase
    amount = np.zeros(m, dtype=np.float64)
    amount[inc] = rng.lognormal(0.0, 1.0, int(inc.sum())) * increase_scale[acct[inc]]
    # Decreases: shares of the cap, so that their sum stays below it whatever the order.
    n_dec = np.bincount(acct[~inc], minlength=len(balance))
    share = rng.beta(0.8, 2.5, int((~inc).sum()))
    amount[~inc] = share * decrease_cap[acct[~inc]] / np.maximum(n_dec[acct[~inc]], 1)
    if increase_cap is not None and inc.any():
        total_inc = np.bincount(acct[inc], weights=amount[inc], minlength=len(balance))
        factor = np.where(total_inc > 0, np.minimum(1.0, increase_cap / np.maximum(total_inc, 1e-9)), 1.0)
        amount[inc] *= factor[acct[inc]]
    cents = np.floor(amount * 100).astype(np.int64)
    keep = cents >= 100
    acct, inc, cents = acct[keep], inc[keep], cents[keep]
    m = len(acct)
    hours = rng.choice(24, size=m, p=_HOURS)
    seconds = hours * 3600 + rng.integers(0, 3600, m)
    ch_inc = rng.choice(inc_channels[0], size=m, p=inc_channels[1])
    ch_dec = rng.choice(dec_channels[0], size=m, p=dec_channels[1])
    channel = np.where(inc, ch_inc, ch_dec)
    memo = np.where(inc, rng.integers(0, max(inc_memos, 1), m), rng.integers(0, max(dec_memos, 1), m))

    acct = np.concatenate([acct, forced.acct])
    inc = np.concatenate([inc, forced.increase])
    cents = np.concatenate([cents, forced.amount])
    seconds = np.concatenate([seconds, forced.seconds])
    channel = np.concatenate([channel, forced.channel])
    memo = np.concatenate([memo, forced.memo])
    is_forced = np.concatenate([np.zeros(m, dtype=bool), np.ones(len(forced.acct), dtype=bool)])

    order = np.lexsort((seconds, acct))
    parts: list[Arr] = [a[order] for a in (acct, inc, cents, seconds, channel, memo, is_forced)]
    acct, inc, cents, seconds, channel, memo, is_forced = parts
    delta = np.where(inc, cents, -cents)
    run = np.cumsum(delta)
    first = np.ones(len(acct), dtype=bool)
    first[1:] = acct[1:] != acct[:-1]
    starts = np.flatnonzero(first)
    group_base = np.repeat(run[starts] - delta[starts], np.diff(np.append(starts, len(acct))))
    after = balance[acct] + (run - group_base)
    new_balance = balance + np.bincount(acct, weights=delta, minlength=len(balance)).astype(np.int64)
    # Files list transactions in time order.
    out = np.argsort(seconds, kind="stable")
    t = Txns(
        acct=acct[out],
        seconds=seconds[out],
        increase=inc[out],
        amount=cents[out],
        balance_after=after[out],
        channel=channel[out],
        memo=memo[out],
        forced=is_forced[out],
    )
    return t, new_balance
