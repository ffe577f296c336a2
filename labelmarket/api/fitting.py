"""Calibrate against the corpus facts into a folder: one fit, a hold-out, or leave-one-out.

Inputs are all checked before anything is written; a checkpoint after every generation
lets `resume` continue an interrupted fit exactly where it stopped.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import platform
import shutil
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pandas as pd

from labelmarket.api.progress import progress_bar
from labelmarket.calibration import interpretations as it
from labelmarket.calibration.abc_smc import AbcState
from labelmarket.calibration.holdout import holdout_rows, leave_one_out_markdown
from labelmarket.calibration.identifiability import identifiability
from labelmarket.calibration.pipeline import (
    Fitted,
    Inputs,
    Problem,
    fit_config,
    prepare_checkpoint,
    run_fit,
    write_outputs,
    write_posterior_sample,
)
from labelmarket.calibration.priors import AbcSettings
from labelmarket.calibration.report import write_calibrated
from labelmarket.errors import UsageError
from labelmarket.model.execution.engine import Engine
from labelmarket.model.results.folders import check_file_out, check_out
from labelmarket.model.results.folders import default_out as inside_runs
from labelmarket.model.results.manifest import scenario_hash, versions, write_json
from labelmarket.model.results.posterior import SUFFIX
from labelmarket.model.scenario.files import may_extend

OWN_FILES = ("manifest.json", "checkpoint.npz", "leave_one_out.md")
REFITS = "interpretation-*"  # the --interpretations refits, each with its own checkpoint


def is_calibration(folder: Path) -> bool:
    """A folder an earlier calibration wrote (or a leave-one-out, even one interrupted
    before its first checkpoint, so that --resume starts it afresh as sweep does)."""
    ours = any((folder / n).exists() for n in OWN_FILES)
    return ours or any(p.is_dir() for p in [*folder.glob("holdout-*"), *folder.glob(REFITS)])


def default_out(holdout: str | None, leave_one_out: bool) -> Path:
    """runs/calibration, with a suffix for a hold-out or leave-one-out."""

    suffix = f"-holdout-{holdout}" if holdout else ("-loo" if leave_one_out else "")
    return inside_runs(f"calibration{suffix}")


def claim(
    out: Path, resume: bool, force: bool, scenario_out: Path | None = None, base: Path | None = None
) -> None:
    """Check `out` (and `scenario_out`) before fitting; with --force, clear an earlier fit."""

    check_out(out, force, resume, resumable=True, ours=is_calibration, what="calibration")
    if scenario_out is not None:
        check_file_out(scenario_out)
        if base is not None and not may_extend(scenario_out.parent, base):
            raise UsageError(
                f"`scenario_out=` {scenario_out}: a scenario there could not extend {base} "
                "(only files in its own folder or the bundled scenarios/); write it beside it"
            )
    if force and not resume and out.is_dir() and any(out.iterdir()):
        shutil.rmtree(out)


def checkpoints(out: Path) -> list[Path]:
    """The checkpoints an interrupted fit (or leave-one-out) left in `out`."""
    found = [out / "checkpoint.npz"] if (out / "checkpoint.npz").is_file() else []
    return found + sorted([*out.glob("holdout-*/checkpoint.npz"), *out.glob(f"{REFITS}/*.npz")])


def interrupted(out: Path, command: str, existed: bool) -> str:
    """What Ctrl-C leaves: the checkpoints --resume continues from, or nothing at all."""
    kept = checkpoints(out) if out.is_dir() else []
    if kept:
        again = command if " --resume" in command else f"{command} --resume"
        where = kept[0] if len(kept) == 1 else f"{len(kept)} checkpoints under {out}/"
        return (
            f"interrupted; the generations finished so far are kept in {where}; "
            f"continue with: {again}"
        )
    if not existed and out.is_dir() and not any(p.is_file() for p in out.rglob("*")):
        shutil.rmtree(out)  # created for this fit, and still holding no file
    return "interrupted before the first generation finished; nothing was kept"


@dataclass
class Calibration:
    """Everything a calibration command decides before it fits."""

    inputs: Inputs
    seed: int
    settings: AbcSettings
    engine: Engine
    out: Path
    command: str
    resume: bool = False
    charts: bool = True


def fit(job: Calibration, problem: Problem, out: Path, label: str, resume: bool) -> Fitted:
    """Fit one problem into `out` (resuming its checkpoint if asked), with a progress bar."""

    config = fit_config(problem, job.settings, job.seed)
    state = prepare_checkpoint(out, config, resume)
    with progress_bar(job.settings.budget, "sim", label, initial=state.runs) as bar:

        def on_generation(s: AbcState) -> None:
            if s.populations:
                p = s.posterior
                gen, eps, acc = len(s.populations) - 1, f"{p.epsilon:.3f}", f"{p.acceptance:.3f}"
                bar.set_postfix(gen=gen, eps=eps, acc=acc)
            bar.n = s.runs
            bar.refresh()

        return run_fit(
            problem, job.settings, job.seed, out, state, job.engine, bar.update, on_generation
        )


def manifest(job: Calibration, problem: Problem, extra: dict) -> dict[str, Any]:
    """What a calibration ran on (inputs and their hashes, settings, seed, versions)."""

    files = {
        k: {"path": str(v), "sha256": hashlib.sha256(v.read_bytes()).hexdigest()}
        for k, v in vars(problem.inputs).items()
        if v.is_file()
    }
    return {
        "command": job.command,
        "created_utc": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "inputs": files,
        "scenario_sha256": scenario_hash(problem.scenario.resolved),
        "seed": job.seed,
        "settings": job.settings.model_dump(),
        "fitted_parameters": problem.fit.names,
        "targets": [t.id for t in problem.targets],
        "held_out_targets": [t.id for t in problem.held],
        "engine": repr(job.engine),
        "versions": versions(),
        "platform": platform.platform(),
        **extra,
    }


def calibrate(job: Calibration, problem: Problem, scenario_out: Path | None) -> Fitted:
    """Fit, then write posterior, fit table, report, charts and the calibrated scenario."""

    fitted = fit(job, problem, job.out, "calibrate", job.resume)
    extra = {
        "simulations_fit": fitted.state.runs,
        "simulations_predictive": fitted.predictive.runs,
        "fit_seconds": round(fitted.state.elapsed, 2),
        "wall_seconds": round(fitted.wall, 2),
        "stop_reason": fitted.state.stop_reason,
        "generations": len(fitted.state.populations),
        "posterior_sample": "calibrated.posterior.parquet",  # what run --posterior draws from
    }
    write_outputs(
        problem, fitted, job.out, job.settings, job.seed, job.engine, job.command,
        manifest(job, problem, extra), job.charts,
    )  # fmt: skip
    if scenario_out is not None:
        note = f"seed {job.seed}, {fitted.state.runs:,} simulations ({job.out}/fit_report.md)"
        write_calibrated(
            scenario_out, problem.inputs.scenario, problem.world, problem.fit,
            fitted.summary[1], note,
        )  # fmt: skip
        beside = scenario_out.with_name(scenario_out.stem + SUFFIX)
        write_posterior_sample(problem, fitted, beside, job.seed)
    return fitted


def leave_one_out(job: Calibration, problems: dict[str, Problem]) -> tuple[str, int, float]:
    """Hold out every fact in turn; write the table; return (markdown, simulations, seconds)."""

    started = time.perf_counter()
    rows: list[dict] = []
    runs = 0
    for fact, problem in problems.items():
        out = job.out / f"holdout-{fact}"
        resume = job.resume and (out / "checkpoint.npz").is_file()
        fitted = fit(job, problem, out, f"hold out {fact}", resume)
        rows += holdout_rows(fact, fitted.table)
        runs += fitted.state.runs + fitted.predictive.runs
    text = leave_one_out_markdown(rows, job.settings.budget, job.seed)
    job.out.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(rows).to_csv(job.out / "leave_one_out.csv", index=False)
    (job.out / "leave_one_out.md").write_text(text + "\n", encoding="utf-8")
    elapsed = time.perf_counter() - started
    extra = {
        "simulations": runs,
        "wall_seconds": round(elapsed, 2),
        "held_out_facts": list(problems),
    }
    write_json(job.out / "manifest.json", manifest(job, next(iter(problems.values())), extra))
    return text, runs, elapsed


def interpretations(
    job: Calibration, problem: Problem, base: Fitted, budget: int | None = None
) -> tuple[str, int, float]:
    """Refit each interpretation read weaker and stronger (in interpretation-* folders, each
    resumable); write interpretations.md/.csv and survival.csv; return (markdown,
    simulations, seconds). `budget` caps each refit (default: the main fit's)."""

    started = time.perf_counter()
    settings = job.settings.for_run(False, budget) if budget else job.settings
    refit = replace(job, settings=settings)
    first = it.outcome("base", "as in targets.yaml", problem, base)
    found, runs = [], 0
    for name, targets in it.groups(problem.targets).items():
        for k, reading in enumerate(it.READINGS):
            out = job.out / f"interpretation-{name}-{reading}"
            resume = job.resume and (out / "checkpoint.npz").is_file()
            moved = it.variant(problem, name, k)
            fitted = fit(refit, moved, out, f"{name} {reading}", resume)
            numbers = ", ".join(f"{t.id} {t.reading(k).describe_observed()}" for t in targets)
            found.append(it.outcome(f"{name} {reading}", numbers, moved, fitted))
            runs += found[-1].runs
    posterior = base.state.posterior
    weak = identifiability(problem.fit, posterior.theta, posterior.weights)
    prior = frozenset(i.name for i in weak if i.verdict == "prior-dominated")
    rows, kept = it.sensitivity_rows(problem, first, found), it.survival(first, found, prior)
    text = it.markdown(rows, kept, settings.budget, job.seed)
    rows.to_csv(job.out / "interpretations.csv", index=False)
    kept.to_csv(job.out / "survival.csv", index=False)
    (job.out / "interpretations.md").write_text(text + "\n", encoding="utf-8")
    report = job.out / "fit_report.md"  # the report holds what the conclusions rest on too
    if report.is_file():
        heading = "\n## What the conclusions rest on (interpretations refitted)\n\n"
        report.write_text(report.read_text(encoding="utf-8") + heading + text + "\n", "utf-8")
    return text, runs, time.perf_counter() - started


def held_out_verdicts(table: pd.DataFrame) -> list[str]:
    """One line per held-out target: predicted within tolerance or not."""
    lines = []
    for r in table[table["held_out"]].to_dict("records"):
        verdict = "predicted within tolerance" if r["pass"] else "NOT predicted within tolerance"
        median, obs = r["simulated_median"], r["observed"]
        lines.append(f"held out {r['target']}: {verdict} (median {median:.3g}, observed {obs})")
    return lines
