"""The fork server local workers come from: single-threaded, with the model preloaded.

Forking a process once numpy's BLAS threads (or tqdm's monitor) run is unsafe: Python 3.12
warns that the child may deadlock. Workers therefore come from multiprocessing's fork
server, started with one-thread BLAS pools and the model's modules and compiled rules
preloaded (`model.execution.preload`), so each worker starts in milliseconds. This module
imports nothing heavy: a command that will run on workers starts the server first thing
(`head_start`), so that its preloading (about a second) overlaps the command's own imports
and loading instead of following them.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import sys
from collections.abc import Iterator
from multiprocessing import forkserver, resource_tracker

PRELOAD = [  # imported once in the fork server: everything a chunk and its context need
    "numpy.random",
    "labelmarket.model.execution.workers",
    "labelmarket.model.execution.replicates",
    "labelmarket.model.scenario.events",  # the effects a compiled world carries
    "labelmarket.model.execution.preload",  # the compiled rules, loaded once for all workers
    "pandas",  # with pyarrow, what a chunk's reducer (its tables, a sweep's) usually needs:
    "pyarrow.parquet",  # imported once here, not by every worker
    "pyarrow.compute",
]
ONE_THREAD = {
    "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
    "JE_ARROW_MALLOC_CONF": "background_thread:false",  # pyarrow's allocator starts no thread
}  # fmt: skip
QUIET_TRACKER = "ignore:resource_tracker:UserWarning"  # -W option of the resource tracker


def default_workers() -> int:
    """All the cores this process may use: the local workers a run starts by default."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def start_method() -> str:
    """`forkserver` where the platform has it, else `spawn`: never a fork of this process."""
    return "forkserver" if "forkserver" in mp.get_all_start_methods() else "spawn"


@contextlib.contextmanager
def single_threaded_environment() -> Iterator[None]:
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
def without_main_script() -> Iterator[None]:
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


def start_fork_server() -> None:
    """Start the fork server (if not running), preloading what workers need, and return at
    once: it imports and loads the rules while this process goes on with its own work."""
    if start_method() != "forkserver":
        return
    start_resource_tracker()  # the server would start it, without the quiet option
    with without_main_script(), single_threaded_environment():
        mp.get_context("forkserver").set_forkserver_preload(PRELOAD)
        forkserver.ensure_running()


def head_start(workers: int | None, replicates: int) -> None:
    """Start the fork server now when a run will need workers (several local workers,
    more than one replicate); an optimisation only, so any failure is left to the run."""
    if replicates > 1 and (workers or default_workers()) > 1:
        with contextlib.suppress(OSError):
            start_fork_server()


def start_resource_tracker() -> None:
    """Start multiprocessing's resource tracker told not to warn about what it cleans up.

    It removes what the workers' pipes and a run's shared history leave when this process
    is killed, and says so with a "leaked" warning; that is expected then, not something
    to act on.
    """
    sys.warnoptions.append(QUIET_TRACKER)
    try:
        resource_tracker.ensure_running()
    finally:
        sys.warnoptions.remove(QUIET_TRACKER)
