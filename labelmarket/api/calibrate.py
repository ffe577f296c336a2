"""Calibrate against the corpus facts: one fit, a hold-out, leave-one-out, interpretations.

`calibrate` is `lm.calibrate` and what `labelmarket calibrate` calls. Every input is
checked before anything is written; a checkpoint after every generation lets `resume=True`
continue an interrupted fit exactly where it stopped. The fit runs on `workers` local
processes or the Dask `scheduler`, and writes the posterior, the fit table and report,
charts and a manifest. `holdout="FACT_ID"` fits without one fact's targets and says
whether the fit predicts it; `leave_one_out=True` does so for every fact in turn;
`interpretations=True` then refits each interpretation of the text read weaker and
stronger and says which conclusions change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from labelmarket.api import fitting
from labelmarket.api.folders import DEFAULT, Out, named
from labelmarket.bundled import resolve_scenario
from labelmarket.calibration.fit_table import markdown_table
from labelmarket.calibration.holdout import facts_in_targets
from labelmarket.calibration.pipeline import Fitted, Inputs, Problem, check_budget, load_problem
from labelmarket.errors import FaultError, Interrupted
from labelmarket.model.execution.launch import make_engine
from labelmarket.model.results.folders import writing

PYTHON = "labelmarket.calibrate (Python API)"
T = TypeVar("T")


@dataclass
class Calibrated:
    """A calibration's outcome: where it wrote, what it prints, the fit when there is one."""

    out: Path
    text: str  # the fit table and verdicts (or the leave-one-out table)
    work: str  # what the fit cost and where it wrote
    fitted: Fitted | None = None  # None for leave-one-out


def calibrate(
    scenario: str | Path | None = None,
    *,
    out: Out = DEFAULT,
    seed: int = 0,
    budget: int | None = None,
    quick: bool = False,
    resume: bool = False,
    force: bool = False,
    holdout: str | None = None,
    leave_one_out: bool = False,
    interpretations: bool = False,
    interpretation_budget: int | None = None,
    scenario_out: str | Path | None = None,
    targets: str | Path | None = None,
    parameters: str | Path | None = None,
    seeds: str | Path | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    charts: bool = True,
    command: str = PYTHON,
) -> Calibrated:
    """Fit the uncertain parameters (`calibration/parameters.yaml`) to the corpus targets.

    ABC-SMC within `budget` simulations (`quick=True`: a trial budget), into `out`
    (`DEFAULT`: `runs/calibration`); `scenario_out` also writes the calibrated scenario;
    `holdout="FACT_ID"`, `leave_one_out=True` and `interpretations=True` are the checks
    the module's docstring describes; `scenario`, `targets`, `parameters` and `seeds`
    replace the bundled inputs. Returns `Calibrated`: `text` (the fit table: each
    target's observed value, predictive median and 90% interval in its unit, pass),
    `work`, `out` and `fitted` (the posterior)::

        >>> fit = lm.calibrate(quick=True, budget=3000, out="runs/calibration", force=True)
        >>> print(fit.text)
    """
    inputs = _inputs(scenario, targets, parameters, seeds)
    problem = load_problem(inputs, holdout)
    settings = problem.fit.abc.for_run(quick, budget)
    check_budget(settings, problem.worlds)
    problems = _held_out(inputs, problem) if leave_one_out else None
    folder = named(out) or fitting.default_out(holdout, leave_one_out)
    written = Path(scenario_out) if scenario_out is not None else None
    fitting.claim(folder, resume, force, written, inputs.scenario)
    existed = folder.exists()
    engine = make_engine(workers, scheduler)
    job = fitting.Calibration(inputs, seed, settings, engine, folder, command, resume, charts)
    if problems is not None:
        text, runs, seconds = _fitting(job, existed, lambda: fitting.leave_one_out(job, problems))
        done = f"{runs:,} simulations in {seconds:.1f} s; outputs in {folder}/"
        return Calibrated(folder, text, done)
    fitted = _fitting(job, existed, lambda: fitting.calibrate(job, problem, written))
    found = Calibrated(folder, fit_text(fitted), _work(fitted, folder), fitted)
    if not interpretations:
        return found
    text, runs, seconds = _interpretations(
        job, problem, fitted, interpretation_budget, workers, scheduler
    )
    found.text += f"\n\n{text}"
    found.work += f"; interpretations: {runs:,} simulations in {seconds:.1f} s"
    return found


def _work(fitted: Fitted, out: Path) -> str:
    """What a fit cost and where it wrote."""
    total = fitted.state.runs + fitted.predictive.runs
    return (f"{total:,} simulations in {fitted.wall:.1f} s ({fitted.state.stop_reason}); "
            f"outputs in {out}/")  # fmt: skip


def _inputs(
    scenario: str | Path | None, targets: str | Path | None, parameters: str | Path | None,
    seeds: str | Path | None,
) -> Inputs:  # fmt: skip
    """The calibration's inputs: those given, else the ones shipped with labelmarket."""
    base = Inputs()
    return Inputs(
        scenario=resolve_scenario(scenario) if scenario is not None else base.scenario,
        targets=Path(targets) if targets else base.targets,
        parameters=Path(parameters) if parameters else base.parameters,
        seeds=Path(seeds) if seeds else base.seeds,
    )


def _held_out(inputs: Inputs, problem: Problem) -> dict[str, Problem]:
    """The problem without each fact's targets in turn (leave-one-out)."""
    return {f: load_problem(inputs, f) for f in facts_in_targets(problem.targets)}


def _fitting(job: fitting.Calibration, existed: bool, work: Callable[[], T]) -> T:
    """Do the fitting work into the job's folder; a fault or Ctrl-C says what is kept."""
    try:
        with writing(job.out):
            return work()
    except FaultError as exc:  # a lost worker or scheduler, a full disk: say what is kept
        left = fitting.interrupted(job.out, job.command, existed)
        kept = left.split("; ", 1)[1] if "kept in" in left else "nothing was kept"
        raise FaultError(f"{exc}; {kept}") from None
    except KeyboardInterrupt:
        raise Interrupted(fitting.interrupted(job.out, job.command, existed)) from None
    finally:
        job.engine.close()


def fit_text(fitted: Fitted) -> str:
    """The fit table and each held-out target's verdict."""
    return "\n".join([markdown_table(fitted.table), *fitting.held_out_verdicts(fitted.table)])


def _interpretations(
    job: fitting.Calibration, problem, fitted: Fitted, budget: int | None,
    workers: int | None, scheduler: str | None,
) -> tuple[str, int, float]:  # fmt: skip
    """The sensitivity refits after the main fit (its engine reopened for them)."""
    job.engine = make_engine(workers, scheduler)
    try:
        return fitting.interpretations(job, problem, fitted, budget)
    except KeyboardInterrupt:
        raise Interrupted(fitting.interrupted(job.out, job.command, True)) from None
    finally:
        job.engine.close()


__all__ = ["DEFAULT", "Calibrated", "calibrate"]
