"""How the rules are compiled: numba, cached once per install, recompiled when any rule changes.

Every rule of the month is a plain loop over one replicate's clients, vendors and tiers,
compiled by numba (`rule`). An entry point (`over_replicates`) loops over a range of
replicates with the interpreter's lock released, and `spread` runs ranges of a batch on a
pool of threads (numba's own `prange` cannot take the typed records the rules read).
Compiled code is cached on disk so that only the first run after an install pays for it:
in the package's own `__pycache__` when it is writable, otherwise in a user cache folder
(a read-only site-packages). numba stamps a cached function with its own file only, so a
change to a rule it calls in another file would go unseen; here every function of the
core is stamped with one digest of all the core's files, and any edit recompiles it all.
Arithmetic is IEEE as written (no fastmath): a replicate's numbers never depend on the
thread, the batch or the driver that ran it.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import sys
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path

import numba
from numba.core import caching

CORE = Path(__file__).resolve().parent
PARALLEL_THRESHOLD = 64
"""Fewest replicates in a batch worth spreading over threads (below, one thread is faster)."""


NOT_READ_BY_RULES = frozenset({"business_models.py"})
"""Core files no compiled rule reads (plain Python registries): editing them recompiles
nothing."""


@cache
def rules_digest() -> str:
    """One digest of every source file of the core and of numba's version."""
    digest = hashlib.sha256(numba.__version__.encode())
    for path in sorted(CORE.rglob("*.py")):
        if path.name in NOT_READ_BY_RULES:
            continue
        digest.update(path.relative_to(CORE).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def user_cache_folder() -> Path:
    """Where compiled rules go when the package's own folder is read-only."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    version = f"py{sys.version_info.major}{sys.version_info.minor}"
    return Path(base) / "labelmarket" / f"numba-{version}"


class RulesCacheLocator(caching._CacheLocator):
    """Cache of the core's compiled functions, stamped with the digest of the whole core."""

    def __init__(self, py_func, py_file: str, folder: Path):
        self._lineno = py_func.__code__.co_firstlineno
        self._folder = folder

    def get_cache_path(self) -> str:
        """The folder that holds the cache."""
        return str(self._folder)

    def get_source_stamp(self) -> str:
        """Any change to any rule makes every cached function stale."""
        return rules_digest()

    def get_disambiguator(self) -> str:
        """Functions of one file are told apart by their first line."""
        return str(self._lineno)

    @classmethod
    def from_function(cls, py_func, py_file: str):
        """A locator for functions of the core only; None lets numba's own locators try."""
        path = Path(py_file).resolve()
        if CORE not in path.parents:
            return None
        for folder in (path.parent / "__pycache__", user_cache_folder()):
            self = cls(py_func, py_file, folder)
            try:
                self.ensure_cache_path()
            except OSError:
                continue
            return self
        return None


_LOCATORS = (getattr(caching, "CacheImpl", None) or caching._CacheImpl)._locator_classes


def _marker() -> list[Path]:
    """Files that say this install's rules are compiled (in either cache folder)."""
    name = f"compiled-{rules_digest()}-py{sys.version_info.major}{sys.version_info.minor}"
    return [CORE / "__pycache__" / name, user_cache_folder() / name]


_WARM: list[bool] = []  # found warm in this process (asked once, then remembered)


def is_warm() -> bool:
    """Whether the rules of this install were compiled already (a run will not wait)."""
    if not _WARM and any(path.exists() for path in _marker()):
        _WARM.append(True)
    return bool(_WARM)


def mark_warm() -> None:
    """Record that the rules are compiled (in the first cache folder that can hold it)."""
    if is_warm():
        return
    for path in _marker():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.touch()
            _WARM.append(True)
            return
        except OSError:
            continue


if RulesCacheLocator not in _LOCATORS:  # numba >= 0.68 names it CacheImpl, before _CacheImpl
    _LOCATORS.insert(0, RulesCacheLocator)

rule = numba.njit(cache=True, error_model="numpy")
"""A rule of the month for one replicate, compiled."""

step_of_rule = numba.njit(cache=True, error_model="numpy", inline="always")
"""A small step of a rule, called in its innermost loops: compiled into its caller."""

over_replicates = numba.njit(cache=True, error_model="numpy", nogil=True)
"""An entry point over replicates first..last (its last two arguments), compiled, run
without the interpreter's lock so that threads run ranges of one batch side by side."""

_threads = {"n": max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
                     else os.cpu_count() or 1)}  # fmt: skip
_pool: dict[int, ThreadPoolExecutor] = {}


def set_threads(n: int) -> None:
    """Threads a batch is spread over (a worker process of a pool of processes takes 1)."""
    _threads["n"] = max(1, int(n))


def spread(entry, replicates: int, *args) -> None:
    """Run `entry(*args, first, last)` over every replicate, in ranges on threads.

    Each replicate's numbers are its own whatever range or thread ran it.
    """
    n = min(_threads["n"], replicates // PARALLEL_THRESHOLD)
    if n <= 1:
        entry(*args, 0, replicates)
        return
    pool = _pool.get(n) or _pool.setdefault(n, ThreadPoolExecutor(n, "labelmarket-rules"))
    edges = [replicates * i // n for i in range(n + 1)]
    done = [pool.submit(entry, *args, a, b) for a, b in itertools.pairwise(edges)]
    for future in done:
        future.result()
