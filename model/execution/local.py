"""Local worker processes, started safely: from a single-threaded fork server, never by fork.

Forking this process is unsafe once numpy's BLAS threads (or tqdm's monitor) run: Python
3.12 warns that the child may deadlock. Workers therefore come from multiprocessing's fork
server, started once with one-thread BLAS pools and the model's modules preloaded, so
each worker starts in milliseconds; `spawn` is used where there is no fork server. The
chunk function and its context are pickled once per map and unpickled once per worker.
With one worker (or one task) chunks run inline in this process, which is what tests and
small runs want. Workers ignore Ctrl-C (the parent handles it) and die with their parent
(the fork server, which ends with this process), so a killed command leaves neither
processes nor tracebacks behind.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import multiprocessing.pool
import os
import pickle
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from labelmarket.model.execution.engine import default_workers

PRELOAD = [  # imported once in the fork server: everything a chunk and its context need
    "numpy.random",
    "labelmarket.model.execution.replicates",
    "labelmarket.model.scenario.events",  # the effects a compiled world carries
]  # not pandas (a sweep's chunks need it): importing pyarrow starts a thread
ONE_THREAD = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
QUIET_TRACKER = "ignore:resource_tracker:UserWarning"  # -W option of the resource tracker
PR_SET_PDEATHSIG = 1  # Linux prctl option: a signal for this process when its parent dies

_CONTEXT: Any = None
_FN: Callable[[Any, Any], Any] | None = None


def _die_with_parent() -> None:
    """Ask Linux to kill this worker when its parent exits (elsewhere: nothing to do)."""
    if not sys.platform.startswith("linux"):  # pragma: no cover
        return
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def _init_worker(payload: bytes) -> None:
    """Set up a worker: Ctrl-C is the parent's, it dies with its parent, holds fn and context."""
    global _FN, _CONTEXT
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent()
    _FN, _CONTEXT = pickle.loads(payload)


def _quiet_worker(target: Callable[..., None], *args: Any) -> None:
    """Run a pool worker; when the parent is gone by the time it reports, exit without a word."""
    with contextlib.suppress(BrokenPipeError, ConnectionResetError, EOFError):
        target(*args)


class _QuietPool(multiprocessing.pool.Pool):
    """A pool whose workers exit quietly (no BrokenPipeError traceback) if the parent dies."""

    @staticmethod
    def Process(ctx: Any, *args: Any, **kwds: Any) -> Any:  # the Pool's own name
        """The worker process, its target wrapped by `_quiet_worker`."""
        kwds["args"] = (kwds.pop("target"), *kwds.get("args", ()))
        return ctx.Process(*args, target=_quiet_worker, **kwds)


def _call(item: tuple[int, Any]) -> tuple[int, Any]:
    """Run one task in a worker against the context it holds."""
    index, task = item
    assert _FN is not None
    return index, _FN(_CONTEXT, task)


def start_method() -> str:
    """`forkserver` where the platform has it, else `spawn`: never a fork of this process."""
    return "forkserver" if "forkserver" in mp.get_all_start_methods() else "spawn"


@contextlib.contextmanager
def _single_threaded_environment() -> Iterator[None]:
    """One thread per BLAS pool while the fork server starts, so it is safe to fork from."""
    saved = {k: os.environ.get(k) for k in ONE_THREAD}
    os.environ.update(ONE_THREAD)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@contextlib.contextmanager
def _without_main_script() -> Iterator[None]:
    """Start workers without re-running the caller's script (they need nothing from it).

    spawn and forkserver workers re-import `__main__` unless told otherwise, so a script
    calling `labelmarket.run` without an `if __name__ == "__main__":` guard would run again
    in every worker. The chunk function and the world are the package's own.
    """
    main = sys.modules.get("__main__")
    saved = dict(main.__dict__) if main is not None else {}
    if main is not None:
        main.__dict__.pop("__file__", None)
        main.__spec__ = None
    try:
        yield
    finally:
        if main is not None:
            main.__dict__.update({k: saved[k] for k in ("__file__", "__spec__") if k in saved})


def _start_resource_tracker() -> None:
    """Start multiprocessing's resource tracker told not to warn about a killed parent's locks.

    It cleans up the pool's semaphores when this process is killed, and says so with a
    "leaked semaphore objects" warning; that is expected then, not something to act on.
    """
    from multiprocessing import resource_tracker

    sys.warnoptions.append(QUIET_TRACKER)
    try:
        resource_tracker.ensure_running()
    finally:
        sys.warnoptions.remove(QUIET_TRACKER)


def _pool(size: int, payload: bytes) -> Any:
    """A pool of `size` workers from the fork server (started once) or spawned."""
    method = start_method()
    ctx = mp.get_context(method)
    _start_resource_tracker()
    with _without_main_script():
        if method == "forkserver":
            from multiprocessing import forkserver

            ctx.set_forkserver_preload(PRELOAD)
            with _single_threaded_environment():
                forkserver.ensure_running()
        return _QuietPool(size, _init_worker, (payload,), context=ctx)


class LocalEngine:
    """Local worker processes for one map at a time, from a fork server (never a fork)."""

    name = "local"

    def __init__(self, workers: int | None = None):
        self.workers = max(1, workers or default_workers())

    def __repr__(self) -> str:
        """How reports and manifests name this engine."""
        return f"{self.workers} local worker process{'es' if self.workers > 1 else ''}"

    def map(self, fn: Callable[[Any, Any], Any], context: Any, tasks: Sequence[Any]) -> Iterator:
        """Run inline for one worker or one task, else in a pool that lives for this call."""
        if self.workers == 1 or len(tasks) <= 1:
            for index, task in enumerate(tasks):
                yield index, fn(context, task)
            return
        payload = pickle.dumps((fn, context), protocol=pickle.HIGHEST_PROTOCOL)
        pool = _pool(min(self.workers, len(tasks)), payload)
        try:
            yield from pool.imap_unordered(_call, list(enumerate(tasks)))
            pool.close()
        finally:
            pool.terminate()
            pool.join()

    def close(self) -> None:
        """Nothing to release: pools end with each map (the fork server stays for the next)."""
