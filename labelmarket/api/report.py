"""Write a run's (or a sweep's) self-contained report.html, a run optionally against a baseline."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from labelmarket.errors import UsageError


def write_report(
    run_dir: Path,
    out: Path | None = None,
    baseline: Path | None = None,
    unpaired: bool = False,
    facts: bool | None = None,
    seeds: Path | None = None,
) -> tuple[Path, int]:
    """Check every input first, build the page, write it atomically; return (path, bytes)."""
    from labelmarket.model.experiments.sweep_folder import is_sweep

    if not run_dir.exists():
        raise UsageError(f"{run_dir}: run or sweep folder not found")
    out = out or run_dir / "report.html"
    if out.exists() and out.is_dir():
        raise UsageError(f"{out}: is a folder; --out takes a file name")
    if not out.parent.is_dir():
        raise UsageError(f"{out.parent}: folder not found")
    if run_dir.is_dir() and is_sweep(run_dir):
        if baseline is not None:
            raise UsageError(f"{run_dir}: is a sweep; --compare takes run folders only")
        from labelmarket.report.sweep import build_sweep_report

        return _write(build_sweep_report(run_dir), out)
    return _write(_run_report(run_dir, baseline, unpaired, facts, seeds), out)


def _run_report(
    run_dir: Path, baseline: Path | None, unpaired: bool, facts: bool | None, seeds: Path | None
) -> str:
    """The HTML of a run's report, the baseline read or run first."""
    from labelmarket.api.inputs import is_scenario_file, read_run, run_scenario
    from labelmarket.report.page import build_report

    main = read_run(run_dir)
    base = None
    if baseline is not None:
        if not baseline.exists():
            raise UsageError(f"{baseline}: run folder or scenario file not found")
        if is_scenario_file(baseline):
            base = run_scenario(baseline, int(main.manifest.get("seed", 0)), main.replicates, None)
        else:
            base = read_run(baseline)
    return build_report(main, base, unpaired, facts, seeds)


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
