"""One writer per output folder: a lock file beside it, held from the check to the publish.

Two commands writing the same `--out` at once used to race: both found it empty, both
simulated, and the later one silently replaced the earlier, or a rename failed half-way
and left an `.old` folder nobody removed. Now the first command to check a destination
takes `.NAME.lock` beside it (`flock`, so the lock dies with its process, `kill -9`
included) and keeps it until it has published (or given up); a second one is refused at
once, naming the first one's process. The lock file is removed on release; a waiter that
got the lock of a file already removed tries again, so two holders never coexist.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import os
from pathlib import Path

from labelmarket.errors import UsageError

_ADVICE = "make that folder writable or choose another `out=`"
_HELD: dict[Path, tuple[int, Path, list[Path]]] = {}  # out -> (fd, lock, folders made for it)


def lock_path(out: Path) -> Path:
    """`.NAME.lock` beside `out`."""
    return out.parent / f".{out.name}.lock"


def _key(out: Path) -> Path:
    """The destination as one key, however it was spelt (relative, with `..`)."""
    return Path(os.path.abspath(out))


def holds(out: Path) -> bool:
    """True when this process holds the destination's lock."""
    return _key(out) in _HELD


def acquire(out: Path) -> bool:
    """Take the lock of `out` (True), or find it already ours (False); UsageError if busy."""
    key = _key(out)
    if key in _HELD:
        return False
    path = lock_path(out)
    try:
        made = _make_parents(path.parent)
        fd = _open_locked(out, path, made)
    except OSError as exc:
        raise UsageError(f"{out}: cannot write beside it ({exc.strerror}); {_ADVICE}") from None
    os.ftruncate(fd, 0)
    os.write(fd, f"{os.getpid()}\n".encode())
    _HELD[key] = (fd, path, made)
    return True


def _open_locked(out: Path, path: Path, made: list[Path]) -> int:
    """Open and lock `path`, the file still there once locked; UsageError when it is held."""
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_pid(fd)
            os.close(fd)
            _remove_empty(made)
            raise UsageError(
                f"{out}: another labelmarket command{holder} is writing this folder; "
                "wait for it to finish or choose another `out=`"
            ) from None
        if _still_there(fd, path):
            return fd
        os.close(fd)  # we locked a file its holder removed as it released it: again


def release(out: Path) -> None:
    """Remove the lock file and let go of it (nothing if this process does not hold it)."""
    held = _HELD.pop(_key(out), None)
    if held is None:
        return
    fd, path, made = held
    with contextlib.suppress(OSError):  # a folder turned read-only: the next command cleans
        path.unlink()
    os.close(fd)
    _remove_empty(made)


def release_all() -> None:
    """Release every lock this process holds (end of a command; interpreter exit)."""
    for key in list(_HELD):
        release(key)


def is_free(lock: Path) -> bool:
    """True when no process holds `lock` (a dead writer's leftover, safe to remove)."""
    try:
        fd = os.open(lock, os.O_RDWR)
    except OSError:
        return False  # gone, or not ours to judge
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    finally:
        os.close(fd)  # closing releases the lock we may have taken
    return True


def _make_parents(folder: Path) -> list[Path]:
    """Create `folder` and its missing parents; return those created, deepest first."""
    missing = []
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    for made in reversed(missing):
        made.mkdir(exist_ok=True)
    return missing


def _remove_empty(folders: list[Path]) -> None:
    """Remove folders made for a lock that are still empty (deepest first)."""
    for folder in folders:
        with contextlib.suppress(OSError):
            folder.rmdir()


def _still_there(fd: int, path: Path) -> bool:
    """Whether the locked file is still the one at `path` (not unlinked by its last holder)."""
    try:
        now = os.stat(path)
    except FileNotFoundError:
        return False
    mine = os.fstat(fd)
    return (mine.st_dev, mine.st_ino) == (now.st_dev, now.st_ino)


def _read_pid(fd: int) -> str:
    """' (pid 1234)' from a held lock file, or '' when it says nothing readable."""
    with contextlib.suppress(OSError, ValueError):
        text = os.pread(fd, 32, 0).decode("ascii").strip()
        return f" (pid {int(text)})" if text else ""
    return ""


atexit.register(release_all)
