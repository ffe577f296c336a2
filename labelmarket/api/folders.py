"""Where a job writes: a folder the caller names, or its default one under `runs/`.

`out=DEFAULT` asks for the job's default folder (`runs/<scenario name>`, `runs/sweeps/<name>`,
`runs/compare_<names>`, `runs/calibration`), known once the inputs are read; a folder named
explicitly is checked before anything is read or simulated.
"""

from __future__ import annotations

from pathlib import Path

from labelmarket.model.results import folder_lock, leftovers
from labelmarket.model.results.folders import check_out, has_manifest


class DefaultFolder:
    """The job's own folder under `runs/` (`out=DEFAULT`)."""

    def __repr__(self) -> str:
        """How it reads in a signature."""
        return "DEFAULT"


DEFAULT = DefaultFolder()
Out = str | Path | DefaultFolder | None
"""An output folder: a path, DEFAULT (the job's folder under runs/), or None (no folder)."""


def named(out: Out) -> Path | None:
    """The folder the caller named (None for DEFAULT or no folder)."""
    return None if out is None or isinstance(out, DefaultFolder) else Path(out)


def claim(folder: Path, force: bool, default: bool) -> None:
    """Check an output folder before anything runs: a default folder under `runs/` that
    holds an earlier labelmarket output is replaced (so a command can be run again); a
    folder named explicitly is replaced only with `force=True`."""
    check_out(folder, force or (default and folder.is_dir() and has_manifest(folder)))


def tidy(place: Path) -> None:
    """Remove what a dead writer left beside a folder or file (never raises)."""
    leftovers.tidy(place)


def release_all() -> None:
    """Release every output folder's lock this process took (at the end of a command)."""
    folder_lock.release_all()
