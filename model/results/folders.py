"""Output folders: refuse to clobber what is not ours, publish a folder whole or not at all."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from labelmarket.errors import UsageError


def check_out(out: Path, force: bool) -> None:
    """Refuse a non-empty folder unless --force, and --force on anything but an earlier run."""
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out}: exists and is not a folder")
    parent = out.resolve().parent
    while not parent.exists():
        parent = parent.parent
    if not parent.is_dir():
        raise UsageError(f"{out}: cannot create it, {parent} is a file")
    if not (out.is_dir() and any(out.iterdir())):
        return
    if not force:
        raise UsageError(f"{out}: folder is not empty; choose another --out or add --force")
    here = Path.cwd().resolve()
    if out.resolve() == here or out.resolve() in here.parents:
        raise UsageError(f"{out}: --force would delete the working folder; choose another --out")
    if not (out / "manifest.json").is_file():
        raise UsageError(
            f"{out}: --force only replaces an earlier labelmarket output (with a manifest.json)"
        )


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
