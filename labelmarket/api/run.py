"""Run a scenario's replicates, read a run folder back, write or chart a run.

`run` is both `lm.run` and what `labelmarket run` calls: without `out` the replicates stay
in memory; with `out` they are streamed into that folder chunk by chunk (memory does not
grow with the replicates) and the `Run` returned reads its tables back from it. Either way
the numbers are the same for the same scenario and seed, whatever the workers or engine.
"""

from __future__ import annotations

from pathlib import Path

from labelmarket.api.folders import DEFAULT, Out, claim, named
from labelmarket.api.streaming import simulate, stream_to_folder
from labelmarket.errors import FaultError, UsageError
from labelmarket.model.core.record import RECORDS
from labelmarket.model.execution.engine import Engine
from labelmarket.model.execution.launch import make_engine
from labelmarket.model.results.folders import default_out
from labelmarket.model.results.posterior import PosteriorSample, find_sample, read_sample
from labelmarket.model.results.run import Run
from labelmarket.model.results.run_folder import load_run
from labelmarket.model.scenario.loading import Overrides, load_scenario
from labelmarket.model.scenario.schema import Scenario
from labelmarket.report.text import format_summary

PYTHON = "labelmarket.run (Python API)"
"""How a manifest records a run made from Python."""
TABLES = "timeseries.parquet/, summary.csv, defections.csv, decisions.csv, manifest.json"

__all__ = ["DEFAULT", "RECORDS", "Run", "read_run", "run", "summary_text"]


def run(
    scenario: str | Path | Scenario,
    replicates: int = 20,
    seed: int = 0,
    *,
    overrides: Overrides = None,
    out: Out = None,
    force: bool = False,
    charts: bool = True,
    record: str = "full",
    posterior: str | Path | bool | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    engine: Engine | None = None,
    progress: bool = False,
    command: str = PYTHON,
) -> Run:
    """Simulate `replicates` runs of a scenario, each with its own seed spawned from `seed`.

    `scenario` is a bundled name (`"historical"`), a YAML path or a loaded `Scenario`;
    `overrides` map parameter paths to values. Runs on `workers` local processes (default:
    every core), on the Dask scheduler at `scheduler` (`"tcp://HOST:PORT"`, needs
    `labelmarket[cluster]`) or on a given `engine`; the numbers are the same whichever runs
    them. With `out`, the run folder is written there (`force=True` replaces an earlier
    labelmarket output there; `DEFAULT`: `runs/<scenario name>`, replaced by each new run;
    `record="summary"` keeps totals only, for large worlds). With
    `posterior` (a calibration folder or `*.posterior.parquet`; True: the sample beside
    the scenario, else the bundled calibrated one) each replicate draws its fitted
    parameters from that sample, so the spread carries parameter uncertainty too.

    Returns a `Run`: `timeseries` (tidy: replicate, month, date, client, vendor, metric,
    value; revenue and spend in $ / month, prices in $ / task-hour, pay in $ / worker-month,
    shares 0-1), `summary` (a row per replicate: yearly revenue per vendor in $, end shares,
    workforce, valuation in $, defections), `defections` (who left whom, when, why) and
    `series(metric, vendor=...)` (a row per month, a column per replicate)::

        >>> deal = lm.run("historical", replicates=4, seed=1)
        >>> deal.series("revenue", vendor="Scale AI").median(axis=1).loc["2026"].sum()  # $
    """
    chosen = load_scenario(scenario, overrides)
    _check(replicates, seed, record)
    folder = default_folder(chosen) if out is DEFAULT else named(out)
    if folder is not None:
        claim(folder, force, default=out is DEFAULT)
    sample = posterior_sample(chosen.file or Path(chosen.name), posterior)
    used = engine if engine is not None else make_engine(workers, scheduler)
    try:
        if folder is None:
            return simulate(chosen, replicates, seed, used, command, sample, progress)
        return stream_to_folder(
            folder, chosen, replicates, seed, used, command, charts=charts, record=record,
            posterior=sample, progress=progress,
        )  # fmt: skip
    except FaultError as exc:  # a lost worker or scheduler, a full disk: say what is left
        if folder is None:
            raise
        raise FaultError(f"{exc}; nothing was written to {folder}") from None
    finally:
        if engine is None:
            used.close()


def _check(replicates: int, seed: int, record: str) -> None:
    """Counts and modes a run takes, refused with the argument they came by."""
    if not isinstance(replicates, int) or replicates < 1:
        raise UsageError(f"`replicates=` must be a whole number of at least 1, got {replicates!r}")
    if not isinstance(seed, int) or seed < 0:
        raise UsageError(f"`seed=` must be a whole number of at least 0, got {seed!r}")
    if record not in RECORDS:
        raise UsageError(f"`record=` must be one of {', '.join(RECORDS)}, got {record!r}")


def posterior_sample(
    scenario_file: Path, posterior: str | Path | bool | None
) -> PosteriorSample | None:
    """The posterior sample `posterior=` asks for (True: the one beside `scenario_file`, else
    the bundled one), read and checked; None without it."""
    if posterior is None or posterior is False:
        return None
    return read_sample(find_sample(scenario_file, posterior))


def default_folder(scenario: Scenario) -> Path:
    """Where `labelmarket run` writes a scenario's run by default: `runs/<name>`."""
    return default_out(scenario.name)


def read_run(folder: str | Path) -> Run:
    """Read a folder written by `labelmarket run`, `lm.run(..., out=...)` or `lm.save`.

    Returns the `Run`, the same type `lm.run` returns (its tables read from the folder),
    or raises `InputError` naming what the folder lacks::

        >>> lm.read_run("runs/historical").summary.filter(like="revenue_2026").median()
    """
    path = Path(folder)
    if not path.exists():
        raise UsageError(f"{path}: run folder not found")
    return load_run(path)


def summary_text(run: Run, waited: float) -> str:
    """What `labelmarket run` prints: each vendor's outcomes and the defections, in words."""
    assert run.world is not None, "a run simulated in this process"
    return format_summary(run.summary, run.world, run.resolved["start"], run.replicates, waited)


def written_text(run: Run) -> str:
    """`wrote FOLDER/ (the files)`, for a run written to its folder."""
    return f"wrote {run.path}/ ({TABLES}{', charts/' if run.charts else ''})"
