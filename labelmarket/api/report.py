"""Write a run's (or a sweep's) self-contained report.html, a run optionally against a baseline."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from labelmarket.api.inputs import load_inputs
from labelmarket.api.run import read_run
from labelmarket.errors import UsageError
from labelmarket.model.experiments.sweep_folder import is_sweep
from labelmarket.model.results.folders import check_file_out, writing
from labelmarket.model.results.run import Run
from labelmarket.report.page import build_report
from labelmarket.report.sweep import build_sweep_report


def write_report(
    run_dir: str | Path,
    *,
    out: str | Path | None = None,
    baseline: str | Path | Run | None = None,
    unpaired: bool = False,
    facts: bool | None = None,
    seeds: str | Path | None = None,
) -> tuple[Path, int]:
    """Write the self-contained report.html of a run or sweep folder; return (path, bytes).

    `out` is the file (default: `RUN_DIR/report.html`); `baseline` a run (folder, `Run`,
    or a scenario run on the fly with the run's seeds) to compare with; `facts` shows the
    facts ledger beside simulated values (default: for historical or calibrated runs).
    Every input is checked first and the page is written to a temporary file renamed into
    place.
    """
    run_dir = Path(run_dir)
    place = Path(out) if out is not None else run_dir / "report.html"
    if run_dir.is_dir():
        check_file_out(place)  # the place is tried before anything is read
    with writing(place):
        return _report(run_dir, place, baseline, unpaired, facts, seeds)


def _report(
    run_dir: Path, out: Path, baseline: str | Path | Run | None, unpaired: bool,
    facts: bool | None, seeds: str | Path | None,
) -> tuple[Path, int]:  # fmt: skip
    """Check every input first, build the page, write it atomically."""
    if not run_dir.exists():
        raise UsageError(f"{run_dir}: run or sweep folder not found")
    if out.exists() and out.is_dir():
        raise UsageError(f"{out}: is a folder; `out=` takes a file name")
    if not out.parent.is_dir():
        raise UsageError(f"{out.parent}: folder not found")
    if run_dir.is_dir() and is_sweep(run_dir):
        if baseline is not None:
            raise UsageError(f"{run_dir}: is a sweep; only a run is compared with a baseline")
        return _write(build_sweep_report(run_dir), out)
    main = read_run(run_dir)
    base = None
    if baseline is not None:
        base = load_inputs([main, baseline], None, None, None)[1]
    page = build_report(main, base, unpaired, facts, Path(seeds) if seeds else None)
    return _write(page, out)


def _write(html: str, out: Path) -> tuple[Path, int]:
    """Write the page to a temporary sibling and rename it into place."""
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(html)
        os.chmod(tmp, 0o644)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return out, len(html)
