"""Process signals: SIGTERM handled like Ctrl-C while a run lasts, so its workers never outlive it.

Light on purpose (standard library only): `wire backfill` installs it before it imports Prefect or the
pipeline, so a SIGTERM during start-up also ends the NLP workers started early.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["sigterm_as_exit"]


@contextmanager
def sigterm_as_exit() -> Iterator[None]:
    """While a run lasts, SIGTERM raises SystemExit in the main thread (when nobody else handles it), so
    the run cleans up like on Ctrl-C: NLP workers terminated, the run recorded as failed. Killed outright
    by the default action, the process left its workers parsing on as orphans."""
    if threading.current_thread() is not threading.main_thread() or \
            signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL:
        yield
        return

    def handler(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
