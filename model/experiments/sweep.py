"""Running a sweep: every point x replicate through the batched engine, resumably.

A run is (point, replicate), numbered `point * replicates + replicate`; its seed comes from
`SeedSequence(sweep seed, spawn_key=(point, replicate))`, so no number depends on the engine,
the workers, the chunking or an interruption. Chunks of runs become ONE batched world each
(`with_parameters`, one parameter row per run), and each finished chunk is written at once
as a checksummed Parquet part (temporary file, then rename; a damaged one is set aside): a
resume runs exactly the runs no whole part holds. A chunk that raises is re-run one run at a
time, so only the runs that really fail are recorded as failed, each with its error.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from labelmarket.model.core.world import World
from labelmarket.model.drivers.batched import run_batch
from labelmarket.model.execution.engine import Engine, chunk
from labelmarket.model.execution.seeds import sweep_seeds
from labelmarket.model.experiments import outcomes as oc
from labelmarket.model.experiments.designs import design_size, design_values
from labelmarket.model.experiments.sweep_file import SweepError, SweepSpec, load_sweep
from labelmarket.model.experiments.sweep_parts import PARTS, part_files
from labelmarket.model.results.metrics import month_dates
from labelmarket.model.results.posterior import Placement, PosteriorSample, drawn_for, place
from labelmarket.model.scenario import files
from labelmarket.model.scenario.compile import compile_world
from labelmarket.model.scenario.files import ScenarioError, allowed_path, read_scenario
from labelmarket.model.scenario.paths import Parameter, ParameterError, locate, with_parameters

FAIL_ENV = "LABELMARKET_SWEEP_FAIL_RUNS"  # test hook: comma-separated run ids made to raise
VERIFY = {"page_checksum_verification": True}  # parts are written with page checksums


@dataclass(frozen=True)
class SweepContext:
    """What every worker needs once: the worlds, the parameters, the outcomes."""

    world: World
    parameters: list[Parameter]
    outcomes: list[oc.Outcome]
    baseline: World | None = None
    baseline_parameters: list[Parameter] | None = None
    baseline_outcomes: list[oc.Outcome] | None = None
    fail_runs: frozenset[int] = frozenset()
    seed: int = 0
    replicates: int = 1
    common_random_numbers: bool = False
    posterior: PosteriorSample | None = None  # each run draws the fitted values by its seed
    placements: tuple[Placement, ...] = ()  # where the draws go: scenario (, baseline)

    def seeds(self, runs: np.ndarray) -> np.ndarray:
        """The seeds of these runs (computed where the runs execute, not in the parent)."""
        points, reps = np.divmod(runs, self.replicates)
        return sweep_seeds(self.seed, points, reps, self.common_random_numbers)


@dataclass(frozen=True)
class SweepPlan:
    """A validated sweep: nothing is written until a plan exists."""

    spec: SweepSpec
    path: Path
    scenario: dict[str, Any]  # resolved scenario (and its file), for the manifest
    baseline: dict[str, Any] | None
    context: SweepContext
    values: np.ndarray  # (points, P) parameter values
    fingerprint: str  # changes if the spec, a scenario or the design changes

    @property
    def points(self) -> int:
        """Number of design points."""
        return len(self.values)

    @property
    def runs(self) -> int:
        """Number of runs (points x replicates)."""
        return self.points * self.spec.replicates


def _parameters(spec: SweepSpec, scenario: Any, path: Path, label: str) -> list[Parameter]:
    """Resolve the paths and check each range or list against the schema's bounds."""
    found, problems = [], []
    for p in spec.parameters:
        try:
            par = locate(scenario, p.path)
        except ParameterError as exc:
            problems.append(f"{path}: parameters[{p.path}]: {exc}{label}")
            continue
        values = list(p.range) if p.range is not None else list(p.values or [])
        bad = [v for v in values if not par.low <= v <= par.high]
        if bad:
            given = f"range [{p.range[0]:g}, {p.range[1]:g}]" if p.range else f"value {bad[0]:g}"
            problems.append(
                f"{path}: parameters[{p.path}]: {given} is outside the allowed "
                f"[{par.low:g}, {par.high:g}] ({par.unit}){label}"
            )
        found.append(par)
    if problems:
        raise SweepError("\n".join(problems))
    return found


def _fail_runs() -> frozenset[int]:
    """Run ids the test hook makes fail."""
    text = os.environ.get(FAIL_ENV, "")
    return frozenset(int(t) for t in text.replace(" ", "").split(",") if t)


def _scenario_file(path: Path, name: str, role: str) -> Path:
    """The scenario a sweep file names, if the `extends:` rule allows it (docs/limits.md)."""

    try:
        found = allowed_path(path, name, files.roots_of(path), role, must_exist=False)
    except ScenarioError as exc:
        raise SweepError(str(exc)) from None
    beside = path.parent / name  # as the sweep names it, unless a bundled name stood in
    return beside if beside.exists() or found.parent != files.BUNDLED else found


def plan_sweep(path: Path, posterior: PosteriorSample | None = None) -> SweepPlan:
    """Validate a sweep file and everything it names (SweepError, ScenarioError); with a
    `posterior` sample, each run draws the fitted values the design does not set."""

    spec = load_sweep(path)
    needed = design_size(spec) * spec.replicates
    if needed > spec.max_runs:
        raise SweepError(
            f"{path}: design '{spec.design}' needs {design_size(spec):,} points x "
            f"{spec.replicates} replicates = {needed:,} runs, more than max_runs: "
            f"{spec.max_runs:,}; lower points, levels or replicates, or raise max_runs"
        )
    worlds = {}
    for role, name in (("scenario", spec.scenario), ("baseline", spec.baseline)):
        if name is None:
            continue
        file = _scenario_file(path, name, role)
        scenario = read_scenario(file, spec.overrides)
        resolved = scenario.resolved
        world = compile_world(scenario)
        label = "" if role == "scenario" else f" (in the baseline {name})"
        params = _parameters(spec, scenario, path, label)
        years = month_dates(scenario.start, world.months).year.to_numpy()
        try:
            outs = oc.resolve_outcomes(spec.outcomes, world, years)
        except ValueError as exc:
            lines = str(exc).splitlines()
            raise SweepError("\n".join(f"{path}: {line}{label}" for line in lines)) from None
        placed = place(posterior, scenario, world) if posterior is not None else None
        info = {"file": str(file), "resolved": resolved, "placement": placed}
        worlds[role] = (world, params, outs, info)
    world, params, outs, scenario_info = worlds["scenario"]
    base = worlds.get("baseline")
    if base is not None and world.months != base[0].months:
        raise SweepError(f"{path}: baseline: its horizon differs from the scenario's")
    context = SweepContext(
        world,
        params,
        outs,
        *(base[:3] if base else (None, None, None)),
        _fail_runs(),
        spec.seed,
        spec.replicates,
        spec.common_random_numbers,
        posterior,
        tuple(w[3]["placement"] for w in worlds.values() if w[3]["placement"] is not None),
    )
    values = design_values(spec)
    digest = hashlib.sha256()
    digest.update((posterior.sha256 if posterior is not None else "").encode())
    digest.update(json.dumps(spec.model_dump(mode="json"), sort_keys=True).encode())
    digest.update(json.dumps(scenario_info["resolved"], sort_keys=True).encode())
    digest.update(json.dumps(base[3]["resolved"] if base else None, sort_keys=True).encode())
    digest.update(np.ascontiguousarray(values).tobytes())
    return SweepPlan(
        spec, path, scenario_info, base[3] if base else None, context, values, digest.hexdigest()
    )


def _simulate(ctx: SweepContext, runs: np.ndarray, values: np.ndarray, seeds: np.ndarray) -> dict:
    """Outcomes of some runs, simulated as one batch (and their baseline twins as another)."""
    failing = [int(r) for r in runs if int(r) in ctx.fail_runs]
    if failing:
        raise RuntimeError(f"injected failure in run {failing[0]} ({FAIL_ENV})")
    world = drawn_for(ctx.posterior, ctx.placements, 0, ctx.world, seeds)  # the design's win
    result = run_batch(with_parameters(world, ctx.parameters, values), seeds)
    base = None
    if ctx.baseline is not None:
        assert ctx.baseline_parameters is not None
        twin = drawn_for(ctx.posterior, ctx.placements, 1, ctx.baseline, seeds)
        base = run_batch(with_parameters(twin, ctx.baseline_parameters, values), seeds)
    return oc.compute(ctx.outcomes, result, ctx.world, base, ctx.baseline_outcomes, ctx.baseline)


def run_chunk(ctx: SweepContext, task: tuple[np.ndarray, np.ndarray]) -> dict:
    """Columns `run`, `seed`, each outcome and `error` for one chunk; failures run by run."""
    runs, values = task
    seeds = ctx.seeds(runs)
    names = [o.name for o in ctx.outcomes]
    errors = np.full(len(runs), None, dtype=object)
    try:
        found = _simulate(ctx, runs, values, seeds)
    except Exception:
        found = {n: np.full(len(runs), np.nan) for n in names}
        for i in range(len(runs)):
            try:
                one = _simulate(ctx, runs[i : i + 1], values[i : i + 1], seeds[i : i + 1])
            except Exception as exc:
                errors[i] = f"{type(exc).__name__}: {exc}"
                continue
            for n in names:
                found[n][i] = one[n][0]
    drawn = {} if ctx.posterior is None else {"draw": ctx.posterior.draws(seeds)}
    return {"run": runs, "seed": seeds, **drawn, **found, "error": errors}


def done_runs(out: Path) -> np.ndarray:
    """Run ids already held by whole parts (partial writes are temporary files, ignored)."""

    files = part_files(out)
    if not files:
        return np.empty(0, dtype=np.int64)
    runs = [pq.read_table(f, columns=["run"], **VERIFY)["run"].to_numpy() for f in files]
    return np.concatenate(runs)


def read_parts(out: Path) -> pd.DataFrame:
    """Every run recorded so far, one row per run, in run order (duplicates dropped)."""

    files = part_files(out)
    if not files:
        raise FileNotFoundError(f"{out}: no parts yet")
    frame = pd.concat([pd.read_parquet(f, **VERIFY) for f in files], ignore_index=True)
    frame = frame.sort_values("run", kind="stable", ignore_index=True)
    return frame.drop_duplicates("run", ignore_index=True)


def _write_part(out: Path, plan: SweepPlan, columns: dict) -> int:
    """Write one chunk's rows atomically; return how many runs failed in it."""

    runs = np.asarray(columns["run"], dtype=np.int64)
    points, reps = np.divmod(runs, plan.spec.replicates)
    frame = pd.DataFrame({"run": runs, "point": points, "replicate": reps})
    frame["seed"] = np.asarray(columns["seed"], dtype=np.uint64)
    if "draw" in columns:
        frame["draw"] = np.asarray(columns["draw"], dtype=np.int64)
    for j, p in enumerate(plan.spec.parameters):
        frame[p.path] = plan.values[points, j]
    for name, value in columns.items():
        if name not in ("run", "seed", "draw", "error"):
            frame[name] = np.asarray(value, dtype=float)
    frame["error"] = pd.Series(columns["error"], dtype="string")
    final = out / PARTS / f"part-{runs.min():08d}.parquet"
    temporary = final.with_suffix(".parquet.tmp")
    frame.to_parquet(temporary, index=False, write_page_checksum=True)
    os.replace(temporary, final)
    return int(frame["error"].notna().sum())


def run_sweep(
    plan: SweepPlan,
    out: Path,
    engine: Engine,
    chunk_size: int | None = None,
    limit: int | None = None,
    on_runs: Callable[[int], None] | None = None,
) -> tuple[int, int]:
    """Run the runs `out` does not hold yet (at most `limit`); return (runs done, failed)."""
    (out / PARTS).mkdir(parents=True, exist_ok=True)
    for stale in (out / PARTS).glob("*.tmp"):
        stale.unlink()  # a part interrupted while being written: its runs are redone
    todo = np.setdiff1d(np.arange(plan.runs, dtype=np.int64), done_runs(out))
    todo = todo[:limit] if limit is not None else todo
    if not len(todo):
        return 0, 0
    if chunk_size:
        chunks = [todo[i : i + chunk_size] for i in range(0, len(todo), chunk_size)]
    else:
        chunks = chunk(todo, engine.workers)
    tasks = [(runs, plan.values[runs // plan.spec.replicates]) for runs in chunks]
    done = failed = 0
    for _, columns in engine.map(run_chunk, plan.context, tasks):
        failed += _write_part(out, plan, columns)
        done += len(columns["run"])
        if on_runs:
            on_runs(len(columns["run"]))
    return done, failed
