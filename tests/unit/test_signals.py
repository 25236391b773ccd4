"""SIGTERM during a run: a SystemExit that something on the way swallowed still ends the run at the next
stage boundary (DuckDB turns a signal handler's exception raised inside a query into its own error)."""

from __future__ import annotations

import os
import signal
import threading

import pytest

from flows.signals import exit_if_terminated, sigterm_as_exit


def test_a_swallowed_sigterm_is_raised_again_at_the_next_checkpoint() -> None:
    with sigterm_as_exit():
        exit_if_terminated()  # nothing received yet: a no-op
        try:
            os.kill(os.getpid(), signal.SIGTERM)
            for _ in range(1000):
                pass
        except SystemExit:  # what a library's error handling might do with it
            pass
        with pytest.raises(SystemExit) as ended:
            exit_if_terminated()
        assert ended.value.code == 128 + signal.SIGTERM
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL
    exit_if_terminated()  # the run is over: its SIGTERM no longer counts


def test_a_sigterm_inside_a_duckdb_query_is_not_lost() -> None:
    """DuckDB checks for signals while it runs a query and reports the handler's SystemExit as an ordinary
    error ("Query interrupted"), which `except Exception` catches: the checkpoint still ends the run."""
    duckdb = pytest.importorskip("duckdb")
    con = duckdb.connect()
    timer = threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGTERM))
    with sigterm_as_exit():
        timer.start()
        with pytest.raises(Exception, match="interrupted"):  # not a SystemExit: lost without the checkpoint
            con.execute("SELECT count(*) FROM range(20000000000) t(x) WHERE x % 7 = 3").fetchall()
        with pytest.raises(SystemExit):
            exit_if_terminated()
    timer.join()
    con.close()
