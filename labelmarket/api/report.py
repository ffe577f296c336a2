"""Write a run's self-contained report.html, optionally against a baseline run."""

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
    from labelmarket.api.inputs import is_scenario_file, read_run, run_scenario
    from labelmarket.report.page import build_report

    main = read_run(run_dir)
    out = out or run_dir / "report.html"
    if out.exists() and out.is_dir():
        raise UsageError(f"{out}: is a folder; --out takes a file name")
    if not out.parent.is_dir():
        raise UsageError(f"{out.parent}: folder not found")
    base = None
    if baseline is not None:
        if not baseline.exists():
            raise UsageError(f"{baseline}: run folder or scenario file not found")
        if is_scenario_file(baseline):
            base = run_scenario(baseline, int(main.manifest.get("seed", 0)), main.replicates, None)
        else:
            base = read_run(baseline)
    html = build_report(main, base, unpaired, facts, seeds)
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
