"""Local worker processes: long-lived for one map, forked so the context is never pickled.

With one worker (or one task) chunks run inline in this process, which is what tests and
small runs want; otherwise a pool of forked workers (spawn where fork is missing) takes
the tasks, and Ctrl-C is left to the parent to handle.
"""

from __future__ import annotations

import multiprocessing as mp
import signal
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from labelmarket.model.execution.engine import default_workers

_CONTEXT: Any = None
_FN: Callable[[Any, Any], Any] | None = None


def _init_worker(fn: Callable[[Any, Any], Any] | None = None, context: Any = None) -> None:
    """Set up a worker: Ctrl-C is the parent's to handle; spawn passes fn and context once."""
    global _FN, _CONTEXT
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if fn is not None:
        _FN, _CONTEXT = fn, context


def _call(item: tuple[int, Any]) -> tuple[int, Any]:
    """Run one task in a worker against the context it holds."""
    index, task = item
    assert _FN is not None
    return index, _FN(_CONTEXT, task)


class LocalEngine:
    """Long-lived local worker processes: forked (context inherited, never pickled) if possible."""

    name = "local"

    def __init__(self, workers: int | None = None):
        self.workers = max(1, workers or default_workers())

    def __repr__(self) -> str:
        """How reports and manifests name this engine."""
        return f"{self.workers} local worker process{'es' if self.workers > 1 else ''}"

    def map(self, fn: Callable[[Any, Any], Any], context: Any, tasks: Sequence[Any]) -> Iterator:
        """Run inline for one worker or one task, else in a pool that lives for this call."""
        global _FN, _CONTEXT
        if self.workers == 1 or len(tasks) <= 1:
            for index, task in enumerate(tasks):
                yield index, fn(context, task)
            return
        size = min(self.workers, len(tasks))
        if "fork" in mp.get_all_start_methods():
            _FN, _CONTEXT = fn, context  # inherited by the forked workers
            pool = mp.get_context("fork").Pool(size, _init_worker)
        else:  # pragma: no cover - spawn-only platforms
            pool = mp.get_context("spawn").Pool(size, _init_worker, (fn, context))
        try:
            yield from pool.imap_unordered(_call, list(enumerate(tasks)))
            pool.close()
        finally:
            pool.terminate()
            pool.join()
            _FN, _CONTEXT = None, None

    def close(self) -> None:
        """Nothing to release: pools end with each map."""
