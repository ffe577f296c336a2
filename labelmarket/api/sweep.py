"""Run a sweep file into its folder, resumably, on any engine; redraw a sweep's charts.

Everything is validated (sweep file, scenarios, parameter paths and ranges, the budget, the
output folder, the scheduler) before the output folder is created; it then appears with its
manifest in one rename, and parts are added as chunks finish.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from labelmarket.api.folders import DEFAULT, Out, named
from labelmarket.api.progress import progress_bar
from labelmarket.api.run import posterior_sample
from labelmarket.bundled import resolve_scenario
from labelmarket.errors import FaultError, Interrupted
from labelmarket.model.charts.sweep import write_sweep_charts
from labelmarket.model.execution.engine import Engine
from labelmarket.model.execution.launch import make_engine
from labelmarket.model.experiments import sweep_folder
from labelmarket.model.experiments.sweep import SweepPlan, done_runs, plan_sweep, run_sweep
from labelmarket.model.results.folders import check_place, default_out, writing
from labelmarket.report.text import sensitivity_table

PYTHON = "labelmarket.sweep (Python API)"


@dataclass
class SweepOutcome:
    """How a sweep invocation ended and what it left in its folder."""

    plan: SweepPlan
    out: Path
    ran: int  # runs this invocation
    left: int  # runs still missing (a `limit` stopped early)
    elapsed: float
    results: pd.DataFrame | None = None  # one row per run, once every run is in
    sensitivity: pd.DataFrame | None = None
    notes: list[str] = field(default_factory=list)
    interrupted: bool = False
    charts: bool = True

    @property
    def failed(self) -> int:
        """Runs that raised (recorded with their errors in `results`)."""
        return 0 if self.results is None else int(self.results["error"].notna().sum())


def sweep(
    sweep_file: str | Path,
    *,
    out: Out = DEFAULT,
    force: bool = False,
    resume: bool = False,
    limit: int | None = None,
    chunk_size: int | None = None,
    charts: bool = True,
    posterior: str | Path | bool | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    engine: Engine | None = None,
    command: str = PYTHON,
) -> SweepOutcome:
    """Run a sweep file's design (a path or a bundled sweep's name) into its folder.

    Every point x replicate runs through the batched engine; results, summary, sensitivity
    indices, a manifest and charts are written to `out` (`DEFAULT`: `runs/sweeps/<name>`).
    `resume=True` runs only what an interrupted sweep in `out` is missing; `limit` stops
    after that many runs (resume later); `force=True` starts an earlier sweep in `out`
    again. Each run's seed comes from (sweep seed, point, replicate), so the results are
    the same whatever the engine, the workers or the interruptions.

    Returns a `SweepOutcome`: `results` (a row per run: seed, parameter values, each
    outcome in its unit, error), `sensitivity` (Sobol S1/ST with 95% intervals, or Morris
    mu*/sigma), `out` (the folder), and how many runs `ran` and are `left`::

        >>> done = lm.sweep("openai_stance", out="runs/sweeps/stance", force=True)
        >>> done.results.groupby("clients.OpenAI.conflict_sensitivity").median()
    """
    path = resolve_scenario(sweep_file, sweeps=True)
    plan = plan_sweep(path)
    if posterior is not None:  # the fitted values the design leaves, drawn per run
        plan = plan_sweep(path, posterior_sample(Path(plan.scenario["file"]), posterior))
    folder = named(out) or default_out("sweeps", plan.spec.name)
    existing = sweep_folder.claim(folder, plan, resume, force, chunk_size)
    used = engine if engine is not None else make_engine(workers, scheduler)
    try:
        with writing(folder):
            return _run(plan, folder, used, command, existing, chunk_size, limit, charts)
    except KeyboardInterrupt:  # while summarising: every run is in its part already
        raise Interrupted(
            f"interrupted while summarising; every run is kept in {folder}/parts; use "
            "`resume=True` to write the summaries"
        ) from None
    except FaultError as exc:
        kept = f"the runs finished so far are kept in {folder}/parts" if folder.is_dir() else ""
        raise FaultError(f"{exc}; {kept}" if kept else str(exc), folder) from None
    finally:
        if engine is None:
            used.close()


def _run(
    plan: SweepPlan, out: Path, engine: Engine, command: str, existing: bool,
    chunk_size: int | None, limit: int | None, charts: bool,
) -> SweepOutcome:  # fmt: skip
    """Create (or resume) the folder, run what is missing, summarise once complete."""
    if not existing:
        sweep_folder.create(out, plan, command)
    before = len(set(done_runs(out).tolist()))
    started = time.perf_counter()
    outcome = SweepOutcome(plan, out, 0, plan.runs - before, 0.0, charts=charts)
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


def plot_sweep(folder: str | Path, charts: str | Path | None = None) -> list[Path]:
    """Draw a finished sweep's charts (response curves, heatmaps, sensitivity bars) into
    `charts` (default: the sweep folder's `charts/`); return their paths."""
    folder = Path(folder)
    target = Path(charts) if charts is not None else folder / "charts"
    if folder.is_dir():
        check_place(target)
    with writing(target):
        results, manifest, sensitivity = sweep_folder.read_finished(folder)
        return write_sweep_charts(results, manifest, sensitivity, target)


def sweep_text(outcome: SweepOutcome) -> str:
    """What the sweep found, as `labelmarket sweep` prints it."""
    spec, results, table = outcome.plan.spec, outcome.results, outcome.sensitivity
    if results is None:
        return f"ran {outcome.ran:,} runs in {outcome.elapsed:.1f} s; {outcome.left:,} left"
    rate = outcome.ran / outcome.elapsed if outcome.elapsed > 0 else float("nan")
    lines = [
        f"{spec.name}: {len(results):,} runs ({outcome.plan.points:,} points x "
        f"{spec.replicates} replicates), {outcome.failed:,} failed; this session ran "
        f"{outcome.ran:,} in {outcome.elapsed:.1f} s ({rate:,.0f} runs/s)"
    ]
    if table is not None:
        lines.append(sensitivity_table(table))
    lines += [f"note: {note}" for note in outcome.notes]
    if outcome.failed:
        first = results.loc[results["error"].notna()].iloc[0]
        lines.append(f"{outcome.failed} runs failed, e.g. run {first['run']}: {first['error']}")
    return "\n".join(lines)


def written_text(outcome: SweepOutcome) -> str:
    """`wrote FOLDER/ (the files)`, once the sweep is complete."""
    written = "results.parquet, summary.csv, design.csv, manifest.json"
    written += ", sensitivity.csv" if outcome.sensitivity is not None else ""
    return f"wrote {outcome.out}/ ({written}{', charts/' if outcome.charts else ''})"
