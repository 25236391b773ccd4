"""Feed scheduling decisions, as plain functions: which feed is due, when it is polled next, spreading.

`is_due` / `due_feeds` decide from a feed's state row whether to poll it now (`Skip` says what to skip);
`plan_next` updates the state after a poll: the interval after success, after a failure an exponential
back-off with jitter (`backoff_delay`), never sooner than a `Retry-After`, and disabling after
`feed_disable_after` hard failures in a row; `stagger` spreads feeds sharing an interval over it.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Literal

from warehouse.feeds import FeedState

from .feeds_config import FeedConfig
from .settings import Settings

__all__ = ["Skip", "backoff_delay", "due_feeds", "is_due", "plan_next", "stagger"]

Skip = Literal["none", "not_due", "backoff"]


def backoff_delay(failures: int, base: float, cap: float, rng: random.Random | None = None) -> float:
    """Exponential back-off with jitter: base * 2^(failures-1), capped, then drawn from [half, full]."""
    if failures <= 0:
        return 0.0
    full = min(cap, base * 2 ** min(failures - 1, 30))
    r = rng or random
    return full / 2 + r.uniform(0, full / 2)


def is_due(state: FeedState | None, now: datetime, *, skip: Skip = "not_due", slack_s: float = 5.0) -> bool:
    """Whether a feed should be polled now. `skip="not_due"`: only once its next poll time has come;
    `"backoff"`: unless it is backing off after a failure (scheduled runs); `"none"`: always. A disabled
    feed is never due unless `skip="none"` (an explicit poll)."""
    if skip == "none" or state is None:
        return True
    if state.disabled:
        return False
    if state.next_poll is None:
        return True
    if skip == "backoff" and not state.failures:
        return True
    return state.next_poll <= now + timedelta(seconds=slack_s)


def due_feeds(feeds: Sequence[FeedConfig], states: dict[str, FeedState], now: datetime, *,
              skip: Skip = "not_due") -> list[FeedConfig]:
    return [f for f in feeds if is_due(states.get(f.feed_id), now, skip=skip)]


def plan_next(
    state: FeedState,
    *,
    now: datetime,
    interval_s: int,
    ok: bool,
    hard: bool = False,
    retry_after: float | None = None,
    settings: Settings,
    rng: random.Random | None = None,
) -> None:
    """Update failures, next poll and disabled state of a feed after a poll (in place)."""
    if ok:
        state.failures = 0
        state.hard_failures = 0
        state.last_ok = now
        state.disabled = False
        state.disabled_reason = None
        delay = float(interval_s)
    else:
        state.failures += 1
        state.hard_failures = state.hard_failures + 1 if hard else 0
        delay = backoff_delay(state.failures, settings.feed_backoff_base, settings.feed_backoff_max, rng)
        if state.hard_failures >= settings.feed_disable_after:
            state.disabled = True
            state.disabled_reason = (f"disabled after {state.hard_failures} hard failures in a row; last: "
                                     f"{state.last_status}")
    if retry_after is not None:
        delay = max(delay, retry_after)
    state.next_poll = now + timedelta(seconds=delay)


def stagger(feeds: Sequence[FeedConfig], anchor: datetime) -> dict[str, datetime]:
    """An anchor time per feed so that feeds with the same interval are spread over it instead of all
    polling (and parsing) at the same second: the k-th of n feeds sharing an interval starts k/n of it later."""
    by_interval: dict[int, list[FeedConfig]] = {}
    for f in feeds:
        by_interval.setdefault(f.interval_s, []).append(f)
    out: dict[str, datetime] = {}
    for interval, group in by_interval.items():
        for k, f in enumerate(group):
            out[f.feed_id] = anchor + timedelta(seconds=interval * k / len(group))
    return out
