"""labelmarket's Python API: load a scenario, run its replicates, read tidy tables, chart them.

Use it as `import labelmarket as lm` (`lm.load_scenario`, `lm.run`, `lm.compare` ...): the
names are re-exported lazily by the package, so `import labelmarket` stays cheap. Every
function here is a thin shell over the jobs the command line runs (`api.run.simulate`,
`api.run.write_run`, the tidy tables of `model.results.tables`), so a run made from Python
and one made with `labelmarket run` give the same numbers for the same scenario and seed.
Bad input raises `labelmarket.InputError` with the message the command line would print.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from labelmarket.errors import UsageError

logger = logging.getLogger("labelmarket")

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from labelmarket.api.run import Simulation
    from labelmarket.model.execution.engine import Engine
    from labelmarket.model.results.run_folder import Run
    from labelmarket.model.scenario.schema import Scenario as ScenarioModel

Overrides = Mapping[str, Any] | Iterable[str] | None


@dataclass(frozen=True)
class Scenario:
    """A validated scenario, ready to run: its file, the overrides applied, the checked model."""

    path: Path  # the YAML file it was read from (bundled or the user's)
    spec: ScenarioModel  # the validated scenario: vendors, clients, events, parameters
    resolved: dict[str, Any]  # the whole scenario as plain data (`extends` and overrides applied)
    overrides: tuple[str, ...] = ()  # the `path=value` assignments applied, in order

    @property
    def name(self) -> str:
        """The scenario's name (default output folder `runs/<name>`)."""
        return self.spec.name

    @property
    def vendors(self) -> list[str]:
        """Vendor names in scenario order."""
        return [v.name for v in self.spec.vendors]

    @property
    def clients(self) -> list[str]:
        """Client names in scenario order."""
        return [c.name for c in self.spec.clients]


def _assignments(overrides: Overrides) -> list[str]:
    """`path=value` strings from a mapping (values written as JSON, which YAML reads back)."""
    if overrides is None:
        return []
    if isinstance(overrides, Mapping):
        return [f"{path}={json.dumps(value)}" for path, value in overrides.items()]
    if isinstance(overrides, str):
        return [overrides]
    return [str(item) for item in overrides]


def load_scenario(scenario: str | Path, overrides: Overrides = None) -> Scenario:
    """Read, override and validate a scenario: a YAML path or a bundled name (`"historical"`).

    `overrides` maps parameter paths to values, in the units of `labelmarket params`, e.g.
    `{"clients.Google.conflict_sensitivity": 2.0, "market.founder_exposure": 0.1}` (or a
    list of `"path=value"` strings, as `--set` takes them). Raises `InputError` naming the
    file, the field and what is allowed.
    """
    from labelmarket.bundled import resolve_scenario
    from labelmarket.model.scenario.files import load_scenario as load

    path = resolve_scenario(scenario)
    assignments = _assignments(overrides)
    spec, resolved = load(path, assignments)
    return Scenario(path, spec, resolved, tuple(assignments))


def scenarios() -> list[str]:
    """Names of the scenarios shipped with labelmarket (each loads by name)."""
    from labelmarket.bundled import scenario_names

    return scenario_names()


def run(
    scenario: Scenario | str | Path,
    replicates: int = 20,
    seed: int = 0,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    engine: Engine | None = None,
    progress: bool = False,
    posterior: str | Path | bool | None = None,
) -> Results:
    """Simulate `replicates` runs of a scenario (each with its own seed spawned from `seed`).

    Runs on `workers` local processes (default: every core), on the Dask scheduler at
    `scheduler` (`"tcp://HOST:PORT"`, needs `labelmarket[cluster]`) or on a given `engine`;
    the numbers are the same whichever runs them. `posterior` (a calibration folder or
    `*.posterior.parquet`; True: the sample beside the scenario, else the bundled calibrated
    one) makes each replicate draw its fitted parameters from that posterior sample, so the
    spread across replicates carries parameter as well as random uncertainty.
    """
    from labelmarket.api.run import simulate
    from labelmarket.model.execution.engine import make_engine

    chosen = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    sample = _posterior(chosen, posterior)
    if not isinstance(replicates, int) or replicates < 1:
        raise UsageError(f"replicates must be a whole number of at least 1, got {replicates!r}")
    if not isinstance(seed, int) or seed < 0:
        raise UsageError(f"seed must be a whole number of at least 0, got {seed!r}")
    own = engine is None
    used = make_engine(workers, scheduler) if own else engine
    logger.debug("%s: %d replicates, seed %d, on %r", chosen.path, replicates, seed, used)
    try:
        sim = simulate(
            chosen.spec, chosen.resolved, chosen.path, replicates, seed, used,
            list(chosen.overrides), progress=progress, posterior=sample,
        )  # fmt: skip
    finally:
        if own:
            used.close()
    return Results(chosen, sim)


def _posterior(scenario: Scenario, posterior: str | Path | bool | None):
    """The posterior sample `run(posterior=...)` asks for (None: parameters as given)."""
    if posterior is None or posterior is False:
        return None
    from labelmarket.model.results.posterior import find_sample, read_sample

    return read_sample(find_sample(scenario.path, posterior))


class Results:
    """A scenario's replicates, simulated: tidy tables, wide series, charts, a run folder."""

    def __init__(self, scenario: Scenario, simulation: Simulation) -> None:
        self.scenario = scenario
        self.simulation = simulation

    def __repr__(self) -> str:
        """Which scenario, how many replicates, which seed."""
        sim = self.simulation
        return f"<Results {self.scenario.name}: {len(sim.seeds)} replicates, seed {sim.seed}>"

    @property
    def seeds(self) -> np.ndarray:
        """Each replicate's own seed (uint64), in replicate order."""
        return self.simulation.seeds

    @cached_property
    def timeseries(self) -> pd.DataFrame:
        """Tidy monthly table: replicate, month, date, client, vendor, metric, value.

        Units by metric: revenue, costs, profit, spend, budget ($ / month); cash, valuation
        ($); workforce (workers); capacity_hours, served_hours (task-hours / month);
        price_* ($ / task-hour); wage_* ($ / worker-month); shares and hhi (0-1).
        """
        from labelmarket.model.results import tables

        sim = self.simulation
        return tables.timeseries(sim.result, sim.world, self.scenario.spec.start)

    @cached_property
    def summary(self) -> pd.DataFrame:
        """One row per replicate: yearly revenue per vendor ($), end shares (0-1), workforce,
        valuation ($), defections, HHI and business-model shares at the end; with a posterior,
        each replicate's draw and fitted values after its seed."""
        from labelmarket.model.results import tables

        sim = self.simulation
        found = tables.summary(sim.result, sim.world, self.scenario.spec.start)
        return sim.ensemble.sample.with_draws(found) if sim.ensemble else found

    @cached_property
    def defections(self) -> pd.DataFrame:
        """One row per defection: replicate, month, date, client, vendor, the utility term that
        drove it (`driver`) and the vendor's share of that client's spend before and after."""
        from labelmarket.model.results import tables

        sim = self.simulation
        return tables.defections(sim.result, sim.world, self.scenario.spec.start)

    def series(self, metric: str, vendor: str | None = None, client: str | None = None):
        """One metric as a wide table: a row per month (dates), a column per replicate."""
        return wide_series(self.timeseries, metric, vendor, client)

    def to_run(self) -> Run:
        """The same tables as a `Run`, the in-memory twin of a run folder (what `compare` uses)."""
        from labelmarket.model.results.manifest import run_manifest
        from labelmarket.model.results.run_folder import Run

        sim = self.simulation
        manifest = run_manifest(
            sim.scenario_file, sim.resolved, sim.overrides, sim.seed, sim.seeds, sim.engine,
            "labelmarket.run (Python API)", sim.elapsed, sim.ensemble,
        )  # fmt: skip
        return Run(None, manifest, self.timeseries, self.summary, self.defections)

    def save(self, out: str | Path, charts: bool = True, force: bool = False) -> Path:
        """Write the run folder `labelmarket run` writes (tables, charts, manifest); return it."""
        from labelmarket.api.run import write_run
        from labelmarket.model.results.folders import check_out

        out = Path(out)
        check_out(out, force)
        write_run(out, self.simulation, "labelmarket.run (Python API)", charts=charts)
        return out

    def plot(self, folder: str | Path) -> list[Path]:
        """Draw the run's charts as PNG files into `folder`; return their paths."""
        from labelmarket.api.charts import run_charts

        return run_charts(self.to_run(), Path(folder))


def wide_series(
    ts: pd.DataFrame, metric: str, vendor: str | None = None, client: str | None = None
) -> pd.DataFrame:
    """Rows of one metric for one vendor/client (None: not that side) as date x replicate."""
    known = set(ts["metric"].astype(str).unique())
    if metric not in known:
        raise UsageError(f"unknown metric {metric!r}; the table has: {', '.join(sorted(known))}")
    rows = ts[ts["metric"] == metric]
    for column, value in (("vendor", vendor), ("client", client)):
        col = rows[column]
        empty = col.isna() | (col.astype(object) == "")
        rows = rows[empty] if value is None else rows[col.astype(object) == value]
    if rows.empty:
        raise UsageError(f"no {metric!r} rows for vendor={vendor!r}, client={client!r}")
    return rows.pivot_table(index="date", columns="replicate", values="value", observed=True)


def read_run(folder: str | Path) -> Run:
    """Read a folder written by `labelmarket run` (or `Results.save`): the same three tables."""
    from labelmarket.api.inputs import read_run as read

    return read(Path(folder))
