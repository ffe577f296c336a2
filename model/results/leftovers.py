"""What dead writers leave beside an output folder, and how any later command removes it.

A writer killed with SIGKILL (the out-of-memory killer, `kill -9`) or one that could not
clean up (its folder turned read-only) leaves, beside `NAME`: its staging folder
`.NAME.staging-XXXX`, perhaps the old folder it had set aside `.NAME.staging-XXXX.old`,
their lock file, or a `.NAME.pending-XXXX.lock` it had just created. An entry is a
leftover when no live process holds its lock (`flock` locks die with their process). The
next command that writes `NAME` cleans them (`clean_stale`), and so does any command
that merely names it (`tidy`), so a refused or read-only command does not leave hundreds
of megabytes behind either.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import time
from pathlib import Path

from labelmarket.errors import UsageError
from labelmarket.model.results import folder_lock

PENDING_GRACE = 60.0  # seconds: a pending lock younger than this may be a writer starting


def clean_stale(parent: Path, name: str) -> list[Path]:
    """Remove what dead writers left beside `parent/name`; put an old folder back if needed.

    A staging folder, its `.old` twin or a pending lock is a leftover when no live
    process holds its lock (or it has none: its writer got as far as removing it).
    """
    removed = []
    target = parent / name
    prefix = f".{glob_escape(name)}."
    entries = [*parent.glob(prefix + "staging-*"), *parent.glob(prefix + "pending-*.lock")]
    for entry in sorted(entries, key=lambda p: (not p.name.endswith(".old"), p.name)):
        if entry.name.endswith(".lock"):
            continue
        lock = _lock_of(entry)
        if lock.exists() and not folder_lock.is_free(lock):
            continue  # a live writer's
        if entry.name.endswith(".old") and entry.is_dir() and not target.exists():
            entry.rename(target)  # died between the two renames: the old folder stays
            continue
        shutil.rmtree(entry, ignore_errors=True)
        removed.append(entry)
    for lock in sorted(entries):
        if lock.name.endswith(".lock") and _abandoned(lock):
            lock.unlink(missing_ok=True)
    return removed


def _abandoned(lock: Path) -> bool:
    """A lock file no process holds; a pending one only once old (its writer locks it next)."""
    try:
        if ".pending-" in lock.name and time.time() - lock.stat().st_mtime < PENDING_GRACE:
            return False
    except OSError:
        return False
    return folder_lock.is_free(lock)


def _lock_of(entry: Path) -> Path:
    """The lock file of a staging folder or of its `.old` twin."""
    base = entry.name.removesuffix(".old")
    return entry.with_name(base + ".lock")


def tidy(path: Path) -> None:
    """Clean a dead writer's leftovers beside `path`, if any and if no live writer is there.

    Any command naming a folder, to read or to write, calls this, so a `kill -9` never
    leaves hundreds of megabytes behind for long. Never raises: tidying is a courtesy.
    """
    with contextlib.suppress(OSError, UsageError, ValueError):
        path = Path(path)
        prefix = f".{glob_escape(path.name)}."
        if not path.name or not any(path.parent.glob(prefix + "*")):
            return
        took = folder_lock.acquire(path)
        try:
            clean_stale(path.parent, path.name)
        finally:
            if took:
                folder_lock.release(path)


def glob_escape(name: str) -> str:
    """`name` with glob's special characters taken literally."""
    return re.sub(r"([*?\[])", r"[\1]", name)
