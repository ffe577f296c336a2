"""Output folders: one guard before anything runs, and publishing a folder whole or not at all.

Every command that writes a folder (run, compare, sweep, calibrate) asks `check_out`
before it simulates: a non-empty folder is refused unless the user asked to replace it
(`--force`, and only an earlier labelmarket output) or to finish it (`--resume`).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from labelmarket.errors import UsageError


def has_manifest(folder: Path) -> bool:
    """An earlier labelmarket output: a folder with a manifest.json."""
    return (folder / "manifest.json").is_file()


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
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out}: exists and is not a folder")
    parent = out.resolve().parent
    while not parent.exists():
        parent = parent.parent
    if not parent.is_dir():
        raise UsageError(f"{out}: cannot create it, {parent} is a file")
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


@contextlib.contextmanager
def staged_folder(out: Path) -> Iterator[Path]:
    """Yield a private sibling folder; on success it replaces `out`, on failure it vanishes."""
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    umask = os.umask(0)
    os.umask(umask)
    staging.chmod(0o777 & ~umask)
    try:
        yield staging
        if out.exists():
            shutil.rmtree(out)
        staging.rename(out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
