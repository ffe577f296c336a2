"""One local worker process: holds the chunk function and its context, runs tasks it is sent.

A worker is started (from the fork server) with the pickled `(fn, context)` and one end of
its own pipe. It ignores Ctrl-C (the parent handles it), asks Linux to kill it when its
parent dies, then answers each `(index, task)` it receives with `(index, True, result)`
or `(index, False, exception)` until it is sent `None` or its pipe closes. Its own pipe,
rather than a queue shared by all workers, is what lets the parent know which task a
worker held when it died, so a lost task is retried rather than waited for.
"""

from __future__ import annotations

import contextlib
import ctypes
import pickle
import signal
import sys
from multiprocessing.connection import Connection
from multiprocessing.pool import ExceptionWithTraceback
from typing import Any

from labelmarket.model.core.compiled import set_threads

PR_SET_PDEATHSIG = 1  # Linux prctl option: a signal for this process when its parent dies
GONE = (BrokenPipeError, ConnectionResetError, EOFError, OSError)  # the parent went away


def _die_with_parent() -> None:
    """Ask Linux to kill this worker when its parent exits (elsewhere: nothing to do)."""
    if not sys.platform.startswith("linux"):  # pragma: no cover
        return

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def _portable(exc: BaseException) -> Any:
    """The exception with its traceback as text, as multiprocessing.Pool sends one back."""
    try:
        wrapped = ExceptionWithTraceback(exc, exc.__traceback__)
        pickle.dumps(wrapped)
        return wrapped
    except Exception:  # an exception that does not pickle: its type and text still do
        return RuntimeError(f"{type(exc).__name__}: {exc}")


def _answer(conn: Connection, index: int, ok: bool, value: Any) -> None:
    """Send one reply; a result that cannot be pickled becomes an error for that task."""
    try:
        conn.send((index, ok, value))
    except GONE:
        raise
    except Exception as exc:  # pickling failed before anything was sent
        conn.send((index, False, _portable(exc)))


def serve(conn: Connection, payload: bytes) -> None:
    """The worker's life: set up, then run every task sent until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent()
    set_threads(1)  # one process per core already: a worker's batch runs on one thread
    fn, context = pickle.loads(payload)
    with contextlib.suppress(*GONE):  # the parent is gone: exit without a word
        while (item := conn.recv()) is not None:
            index, task = item
            try:
                reply = (index, True, fn(context, task))
            except Exception as exc:
                reply = (index, False, _portable(exc))
            _answer(conn, *reply)
            reply = None  # do not hold a large result while waiting for the next task
