"""Run a sweep file into its folder, resumably, on any engine; redraw a sweep's charts."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from labelmarket.api.progress import progress_bar

if TYPE_CHECKING:
    import pandas as pd

    from labelmarket.model.execution.engine import Engine
    from labelmarket.model.experiments.sweep import SweepPlan


@dataclass
class SweepOutcome:
    """How a sweep invocation ended and what it left in its folder."""

    plan: SweepPlan
    out: Path
    ran: int  # runs this invocation
    left: int  # runs still missing (a --limit stopped early)
    elapsed: float
    results: pd.DataFrame | None = None  # set once every run is in
    sensitivity: pd.DataFrame | None = None
    notes: list[str] = field(default_factory=list)
    interrupted: bool = False


def run_sweep_folder(
    plan: SweepPlan,
    out: Path,
    engine: Engine,
    command: str,
    existing: bool,
    chunk_size: int | None = None,
    limit: int | None = None,
    charts: bool = True,
) -> SweepOutcome:
    """Create (or resume) the folder, run what is missing, summarise once complete."""
    from labelmarket.model.experiments import sweep_folder
    from labelmarket.model.experiments.sweep import done_runs, run_sweep

    if not existing:
        sweep_folder.create(out, plan, command)
    before = len(set(done_runs(out).tolist()))
    started = time.perf_counter()
    outcome = SweepOutcome(plan, out, 0, plan.runs - before, 0.0)
    with progress_bar(plan.runs, "run", plan.spec.name, initial=before) as bar:
        try:
            outcome.ran, _ = run_sweep(plan, out, engine, chunk_size, limit, bar.update)
        except KeyboardInterrupt:
            outcome.interrupted = True
    outcome.elapsed = time.perf_counter() - started
    outcome.left = plan.runs - before - outcome.ran
    end = "interrupted" if outcome.interrupted else "limit" if outcome.left else "complete"
    sweep_folder.record_session(out, command, engine, outcome.elapsed, end)
    if end == "complete":
        outcome.results, outcome.sensitivity, outcome.notes = sweep_folder.finish(out, plan)
        if charts:
            plot_sweep(out, out / "charts")
    return outcome


def plot_sweep(folder: Path, charts: Path) -> list[Path]:
    """Read a finished sweep's tables and write its charts into `charts`."""
    from labelmarket.model.charts.sweep import write_sweep_charts
    from labelmarket.model.experiments.sweep_folder import read_finished

    results, manifest, sensitivity = read_finished(folder)
    return write_sweep_charts(results, manifest, sensitivity, charts)
