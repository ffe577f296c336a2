"""A user's own table of parameter sets, run as a sweep runs its points.

What SALib and EMA Workbench users do: they draw their own sample (a matrix with named
columns, an experiments table) and want the model's outcomes for each row. Each row is a
point, each point runs `replicates` times, run r of row i seeded from (seed, i, r) as a
sweep seeds its runs, so a row's numbers do not depend on the engine, the workers or the
other rows. Columns are parameter paths (`clients.Google.conflict_sensitivity`,
`clients.*.conflict_sensitivity`), checked against the schema's ranges before anything runs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from labelmarket.errors import InputError
from labelmarket.model.core.world import World
from labelmarket.model.execution.engine import Engine, chunk
from labelmarket.model.experiments import outcomes as oc
from labelmarket.model.experiments.sweep import SweepContext, run_chunk
from labelmarket.model.experiments.sweep_file import OutcomeSpec
from labelmarket.model.results.metrics import month_dates
from labelmarket.model.scenario.compile import compile_world
from labelmarket.model.scenario.paths import Parameter, ParameterError, locate
from labelmarket.model.scenario.schema import Scenario

IGNORED = ("scenario", "policy", "model")
"""Columns an EMA Workbench experiments table adds beside the uncertainties."""


class SamplesError(InputError):
    """A table of parameter sets that cannot be run, naming the column or row."""


def samples_table(samples: Any, names: Sequence[str] | None = None) -> pd.DataFrame:
    """The parameter sets as a float DataFrame with one column per parameter path.

    Takes a DataFrame (an EMA experiments table: its `scenario`, `policy` and `model`
    columns are left out), a mapping of path to values, a 2-D array with `names`, or a
    SALib `(problem, X)` pair (the problem's `names` name X's columns).
    """
    if isinstance(samples, tuple) and len(samples) == 2 and isinstance(samples[0], Mapping):
        problem, matrix = samples
        names, samples = list(problem.get("names", [])), matrix
    if isinstance(samples, pd.DataFrame):
        frame = samples.drop(columns=[c for c in IGNORED if c in samples.columns])
    elif isinstance(samples, Mapping):
        frame = pd.DataFrame({str(k): np.asarray(v) for k, v in samples.items()})
    else:
        matrix = np.atleast_2d(np.asarray(samples, dtype=float))
        if names is None or len(names) != matrix.shape[1]:
            raise SamplesError(
                f"a matrix of {matrix.shape[1]} columns needs as many parameter paths as "
                "`names=` (or a DataFrame with named columns, or SALib's (problem, X))"
            )
        frame = pd.DataFrame(matrix, columns=list(names))
    if frame.empty or not len(frame.columns):
        raise SamplesError("`samples=` holds no parameter set")
    try:
        return frame.astype(float).reset_index(drop=True)
    except (TypeError, ValueError) as exc:
        raise SamplesError(f"`samples=` must hold numbers only: {exc}") from None


def parameters(scenario: Scenario, table: pd.DataFrame) -> list[Parameter]:
    """Each column's parameter, its values checked against the schema's range."""
    found, problems = [], []
    for column in table.columns:
        try:
            par = locate(scenario, str(column))
        except ParameterError as exc:
            problems.append(f"`samples=` column {column!r}: {exc}")
            continue
        values = table[column].to_numpy()
        bad = np.flatnonzero(~((values >= par.low) & (values <= par.high)))
        if len(bad):
            problems.append(
                f"`samples=` column {column!r}, row {bad[0]}: {values[bad[0]]:g} is outside "
                f"the allowed [{par.low:g}, {par.high:g}] ({par.unit})"
            )
        found.append(par)
    if problems:
        raise SamplesError("\n".join(problems))
    return found


def default_outcomes(world: World, year: int) -> list[OutcomeSpec]:
    """Each vendor's revenue in the last year and share at the end; defections; the HHI."""
    found = [OutcomeSpec(metric="revenue", vendor=v, year=year) for v in world.vendors]
    found += [OutcomeSpec(metric="market_share", vendor=v) for v in world.vendors]
    return [*found, OutcomeSpec(metric="defections"), OutcomeSpec(metric="hhi")]


def context(
    scenario: Scenario,
    table: pd.DataFrame,
    outcomes: list[dict[str, Any]] | None,
    replicates: int,
    seed: int,
    baseline: Scenario | None = None,
) -> SweepContext:
    """What every worker needs once: the world, the columns' parameters, the outcomes."""
    world = compile_world(scenario)
    years = month_dates(scenario.start, world.months).year.to_numpy()
    try:
        specs = [OutcomeSpec(**o) for o in outcomes] if outcomes else None
        found = oc.resolve_outcomes(specs or default_outcomes(world, int(years[-1])), world, years)
    except (TypeError, ValueError) as exc:
        raise SamplesError(f"`outcomes=`: {exc}") from None
    pars = parameters(scenario, table)
    if baseline is None:
        if any(o.spec.versus_baseline for o in found):
            raise SamplesError("`outcomes=` asks for a difference from a `baseline=`; give one")
        return SweepContext(world, pars, found, seed=seed, replicates=replicates)
    twin = compile_world(baseline)
    twin_pars = parameters(baseline, table)
    twin_found = oc.resolve_outcomes(specs or default_outcomes(world, int(years[-1])), twin, years)
    return SweepContext(world, pars, found, twin, twin_pars, twin_found, frozenset(), seed,
                        replicates)  # fmt: skip


def evaluate(ctx: SweepContext, table: pd.DataFrame, engine: Engine, on_runs=None) -> pd.DataFrame:
    """Run every row `ctx.replicates` times; one row per (row, replicate) with its outcomes."""
    values = table.to_numpy(dtype=float)
    runs = np.arange(len(values) * ctx.replicates, dtype=np.int64)
    tasks = [(r, values[r // ctx.replicates]) for r in chunk(runs, engine.workers)]
    parts = []
    for _, columns in engine.map(run_chunk, ctx, tasks):
        parts.append(pd.DataFrame({k: list(v) for k, v in columns.items()}))
        if on_runs:
            on_runs(len(columns["run"]))
    found = pd.concat(parts, ignore_index=True).sort_values("run", ignore_index=True)
    row, replicate = np.divmod(found.pop("run").to_numpy(), ctx.replicates)
    head = pd.DataFrame({"row": row, "replicate": replicate})
    head["seed"] = found.pop("seed").astype(np.uint64)
    inputs = table.iloc[row].reset_index(drop=True)
    error = found.pop("error").astype("string")
    return pd.concat([head, inputs, found.astype(float), error.rename("error")], axis=1)
