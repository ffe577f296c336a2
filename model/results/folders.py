"""Output folders: one guard before anything runs, and publishing a folder whole or not at all.

Every command that writes a folder (run, compare, sweep, calibrate) asks `check_out`
before it simulates: the place must be a writable folder name (tried, not guessed), and a
non-empty folder is refused unless the user asked to replace it (`--force`, and only an
earlier labelmarket output) or to finish it (`--resume`). The check takes the folder's
lock (`model.results.folder_lock`), held until the folder is published, so no other
command can fill or replace it in between. Default folders come from `default_out`,
which keeps them inside `runs/`.

Outputs are written into a staging folder beside their destination (`.NAME.staging-XXXX`)
that a lock file (`.NAME.staging-XXXX.lock`, held with `flock` while the writer lives)
marks as in use. Publishing is two renames under the destination's lock: the old folder
aside (`.NAME.staging-XXXX.old`), the new one into place, then the old one deleted.
Whatever a dead writer left is removed by the next command that touches the name
(`model.results.leftovers`); if the writer died between its two renames, its old folder
is put back first, before any check.
An operating-system error while writing (no space, permission, read-only) becomes one
`OutputError` naming the destination (`writing`).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from labelmarket.errors import ADVICE, OutputError, UsageError, is_actionable, os_error_message
from labelmarket.model.results import folder_lock
from labelmarket.model.results.leftovers import clean_stale, glob_escape

RUNS = Path("runs")
WHAT_TO_DO = "make it writable or choose another `out=`"
NAME_MAX = 255  # bytes in one file name on Linux, macOS and Windows file systems
FOLDER_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


def has_manifest(folder: Path) -> bool:
    """An earlier labelmarket output: a folder with a manifest.json."""
    return (folder / "manifest.json").is_file()


def default_out(*parts: str) -> Path:
    """`runs/<parts>`, each part one safe folder name, so a default never leaves `runs/`."""
    for part in parts:
        if not FOLDER_NAME.fullmatch(part) or len(part.encode()) > NAME_MAX:
            raise UsageError(
                f"'{part[:60]}' cannot name an output folder (letters, digits, '_', '-' and '.', "
                "starting with a letter or digit); choose one with `out=`"
            )
    return RUNS.joinpath(*parts)


def _named(out: Path) -> None:
    """Refuse an output path that names no folder, or a name no file system holds."""
    if out.name in ("", ".", ".."):
        raise UsageError(f"'{out}': `out=` must name a folder")
    if any(len(os.fsencode(part)) > NAME_MAX for part in out.parts):
        raise UsageError(f"{str(out)[:80]}...: a folder name is longer than {NAME_MAX} bytes")


def _writable(out: Path) -> None:
    """Refuse an output path that cannot be created, by trying where it would be created.

    An existing folder is tried too: resumed and redrawn outputs are written inside it.
    """
    try:
        parent = out.resolve().parent
        while not parent.exists():
            parent = parent.parent
    except (OSError, RuntimeError) as exc:
        raise UsageError(f"{out}: cannot be used as a folder ({exc})") from None
    if not parent.is_dir():
        raise UsageError(f"{out}: cannot create it, {parent} is a file")
    for place in (parent, out) if out.is_dir() else (parent,):
        try:
            os.rmdir(tempfile.mkdtemp(prefix=".labelmarket-probe-", dir=place))
        except OSError as exc:
            what = ADVICE.get(exc.errno or 0, (exc.strerror,))[0]
            raise UsageError(f"{out}: cannot write in {place} ({what}); {WHAT_TO_DO}") from None


def check_place(folder: Path) -> None:
    """Refuse a folder to write files into (charts) that cannot be created or written."""
    _named(folder)
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder}: exists and is not a folder")
    _writable(folder)


def check_file_out(path: Path) -> None:
    """Refuse an output file path that names a folder or cannot be written."""
    _named(path)
    if path.is_dir():
        raise UsageError(f"{path}: is a folder; give a file name")
    _writable(path)


def check_out(
    out: Path,
    force: bool = False,
    resume: bool = False,
    resumable: bool = False,
    ours: Callable[[Path], bool] = has_manifest,
    what: str = "labelmarket output (with a manifest.json)",
) -> bool:
    """Decide what to do with `out`; True when it holds earlier work of ours to resume.

    `ours(out)` says whether the folder holds `what` (an earlier run, sweep or fit);
    `resumable` commands (sweep, calibrate) suggest `--resume` for such a folder. The
    folder's lock is taken here and held until it is published (or the command ends),
    and a dead writer's leftovers are cleaned first, so the answer holds until then.
    """
    _named(out)
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out}: exists and is not a folder")
    _writable(out)
    took = folder_lock.acquire(out)
    try:
        clean_stale(out.parent, out.name)
        return _decide(out, force, resume, resumable, ours(out) if out.is_dir() else False, what)
    except BaseException:
        if took:
            folder_lock.release(out)
        raise


def _decide(out: Path, force: bool, resume: bool, resumable: bool, mine: bool, what: str) -> bool:
    """check_out's verdict on an existing folder (see there)."""
    if not (out.is_dir() and any(out.iterdir())):
        return False
    if resume:
        if mine:
            return True
        raise UsageError(f"{out}: folder is not empty and holds no {what}; choose another `out=`")
    if not force:
        if mine and resumable:
            hint = (
                f"holds an earlier {what}; use `resume=True` to finish it or `force=True` "
                "to replace it"
            )
        else:
            hint = "choose another `out=` or use `force=True` to replace it"
        raise UsageError(f"{out}: folder is not empty; {hint}")
    here = Path.cwd().resolve()
    if out.resolve() == here or out.resolve() in here.parents:
        raise UsageError(
            f"{out}: `force=True` would delete the working folder; choose another `out=`"
        )
    if not mine:
        raise UsageError(
            f"{out}: `force=True` only replaces an earlier {what}; choose another `out=`"
        )
    return False


@contextlib.contextmanager
def writing(place: Path) -> Iterator[None]:
    """Turn an operating-system error a user can act on into one OutputError naming `place`."""
    try:
        yield
    except OSError as exc:
        if not is_actionable(exc):
            raise
        raise OutputError(os_error_message(exc, place)) from exc


@contextlib.contextmanager
def staging_folder(parent: Path, name: str) -> Iterator[Path]:
    """A locked private folder `parent/.NAME.staging-XXXX`, removed with its lock on exit.

    Removal is best effort: when the parent has turned read-only the folder stays, its
    lock free, and the next command that touches the name removes it.
    """
    parent.mkdir(parents=True, exist_ok=True)
    clean_stale(parent, name)
    fd, pending = tempfile.mkstemp(prefix=f".{name}.pending-", suffix=".lock", dir=parent)
    lock = Path(pending)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # before the lock takes the name cleaners look for
        lock = lock.with_name(f".{name}.staging-" + lock.name[len(f".{name}.pending-") :])
        os.rename(pending, lock)
        staging = lock.with_suffix("")
        staging.mkdir()
        umask = os.umask(0)
        os.umask(umask)
        staging.chmod(0o777 & ~umask)
        yield staging
    finally:
        shutil.rmtree(lock.with_suffix(""), ignore_errors=True)
        for leftover in (lock, Path(pending)):
            with contextlib.suppress(OSError):
                leftover.unlink(missing_ok=True)
        os.close(fd)


def publish(staging: Path, out: Path) -> None:
    """Put `staging` in place of `out`: old folder aside, new one in, old one deleted.

    Callers hold the destination's lock (`staged_folder` does), so no other writer
    renames the same names meanwhile.
    """
    aside = staging.with_name(staging.name + ".old")
    if out.exists():
        out.rename(aside)
    try:
        staging.rename(out)
    except BaseException:
        if aside.exists() and not out.exists():
            aside.rename(out)
        raise
    shutil.rmtree(aside, ignore_errors=True)


@contextlib.contextmanager
def staged_folder(out: Path, keep_lock: bool = False) -> Iterator[Path]:
    """Yield a private sibling folder; on success it replaces `out`, on failure it vanishes.

    The destination's lock (taken by `check_out`, or here) is released once published,
    unless `keep_lock` (a sweep keeps writing into the folder after creating it).
    Operating-system errors become one `OutputError` naming `out`.
    """
    folder_lock.acquire(out)
    try:
        with writing(out), staging_folder(out.parent, out.name) as staging:
            yield staging
            publish(staging, out)
    except OutputError as exc:
        if any(out.parent.glob(f".{glob_escape(out.name)}.staging-*")):
            raise OutputError(
                f"{exc}; what was staged could not be removed either: the next command "
                f"naming {out} removes it"
            ) from exc.__cause__
        raise
    finally:
        if not keep_lock:
            folder_lock.release(out)
