"""Output folders: one guard before anything runs, and publishing a folder whole or not at all.

Every command that writes a folder (run, compare, sweep, calibrate) asks `check_out`
before it simulates: the place must be a writable folder name (tried, not guessed), and a
non-empty folder is refused unless the user asked to replace it (`--force`, and only an
earlier labelmarket output) or to finish it (`--resume`). Default folders come from
`default_out`, which keeps them inside `runs/`.

Outputs are written into a staging folder beside their destination (`.NAME.staging-XXXX`)
that a lock file (`.NAME.staging-XXXX.lock`, held with `flock` while the writer lives)
marks as in use. The next writer removes the staging folders whose lock nobody holds (a
writer killed with SIGKILL), and publishing is two renames: the old folder aside, the new
one into place, then the old one deleted; if the writer dies between the two renames,
the next one puts the old folder back.
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

from labelmarket.errors import UsageError

RUNS = Path("runs")
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
                "starting with a letter or digit); choose one with --out"
            )
    return RUNS.joinpath(*parts)


def _named(out: Path) -> None:
    """Refuse an output path that names no folder, or a name no file system holds."""
    if out.name in ("", ".", ".."):
        raise UsageError(f"'{out}': --out must name a folder")
    if any(len(os.fsencode(part)) > NAME_MAX for part in out.parts):
        raise UsageError(f"{str(out)[:80]}...: a folder name is longer than {NAME_MAX} bytes")


def _writable(out: Path) -> None:
    """Refuse an output path that cannot be created, by trying where it would be created."""
    try:
        parent = out.resolve().parent
        while not parent.exists():
            parent = parent.parent
    except (OSError, RuntimeError) as exc:
        raise UsageError(f"{out}: cannot be used as a folder ({exc})") from None
    if not parent.is_dir():
        raise UsageError(f"{out}: cannot create it, {parent} is a file")
    try:
        os.rmdir(tempfile.mkdtemp(prefix=".labelmarket-probe-", dir=parent))
    except OSError as exc:
        raise UsageError(f"{out}: cannot write in {parent} ({exc.strerror})") from None


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
    `resumable` commands (sweep, calibrate) suggest `--resume` for such a folder.
    """
    _named(out)
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out}: exists and is not a folder")
    _writable(out)
    if not (out.is_dir() and any(out.iterdir())):
        return False
    mine = ours(out)
    if resume:
        if mine:
            return True
        raise UsageError(f"{out}: folder is not empty and holds no {what}; choose another --out")
    if not force:
        if mine and resumable:
            hint = f"holds an earlier {what}; add --resume to finish it or --force to replace it"
        else:
            hint = "choose another --out or add --force"
        raise UsageError(f"{out}: folder is not empty; {hint}")
    here = Path.cwd().resolve()
    if out.resolve() == here or out.resolve() in here.parents:
        raise UsageError(f"{out}: --force would delete the working folder; choose another --out")
    if not mine:
        raise UsageError(f"{out}: --force only replaces an earlier {what}; choose another --out")
    return False


def _held(lock: Path) -> bool:
    """True while some process holds the lock (False once its writer died)."""
    try:
        fd = os.open(lock, os.O_RDWR)
    except OSError:
        return True  # gone or unreadable: leave it to whoever owns it
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(fd)  # closing releases the lock we may have taken
    return False


def clean_stale(parent: Path, name: str) -> list[Path]:
    """Remove what killed writers left beside `parent/name`; put an old folder back if needed."""
    removed = []
    for lock in sorted(parent.glob(f".{glob_escape(name)}.staging-*.lock")):
        if _held(lock):
            continue
        staging = lock.with_suffix("")
        aside = staging.with_name(staging.name + ".old")
        target = parent / name
        if aside.is_dir() and not target.exists():
            aside.rename(target)  # died between the two renames: the old folder stays
        for leftover in (staging, aside):
            if leftover.is_dir():
                shutil.rmtree(leftover, ignore_errors=True)
                removed.append(leftover)
        lock.unlink(missing_ok=True)
    return removed


def glob_escape(name: str) -> str:
    """`name` with glob's special characters taken literally."""
    return re.sub(r"([*?\[])", r"[\1]", name)


@contextlib.contextmanager
def staging_folder(parent: Path, name: str) -> Iterator[Path]:
    """A locked private folder `parent/.NAME.staging-XXXX`, removed with its lock on exit."""
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
        lock.unlink(missing_ok=True)
        Path(pending).unlink(missing_ok=True)
        os.close(fd)


def publish(staging: Path, out: Path) -> None:
    """Put `staging` in place of `out`: old folder aside, new one in, old one deleted."""
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
def staged_folder(out: Path) -> Iterator[Path]:
    """Yield a private sibling folder; on success it replaces `out`, on failure it vanishes."""
    with staging_folder(out.parent, out.name) as staging:
        yield staging
        publish(staging, out)
