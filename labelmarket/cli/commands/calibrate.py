"""`labelmarket calibrate`: fit the uncertain parameters to the corpus facts by ABC-SMC.

Writes posterior samples, a fit table, a fit report, charts, a calibrated scenario and a
manifest into --out; a checkpoint after every generation lets --resume continue an
interrupted fit exactly where it stopped. `--holdout FACT_ID` fits without the targets
resting on one fact and reports whether the fit predicts it; `--leave-one-out` does that
for every fact in turn and writes the leave-one-out table.
"""

from __future__ import annotations

import argparse
import shlex
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from labelmarket.errors import UsageError

if TYPE_CHECKING:
    from labelmarket.calibration.abc_smc import AbcState
    from labelmarket.calibration.pipeline import Fitted, Inputs, Problem
    from labelmarket.calibration.priors import AbcSettings


def _count(minimum: int) -> Any:
    """argparse type: a whole number of at least `minimum` (100_000 and 1e5 accepted)."""

    def parse(text: str) -> int:
        try:
            value = float(text.replace("_", ""))
        except ValueError:
            value = float("nan")
        if not value.is_integer():
            raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}")
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}, got {int(value)}")
        return int(value)

    return parse


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register `calibrate` and its options."""
    p = sub.add_parser(
        "calibrate",
        help="fit the uncertain parameters to the corpus facts (ABC-SMC)",
        description="Fit calibration/parameters.yaml to calibration/targets.yaml by ABC-SMC.",
    )
    p.add_argument(
        "--budget", type=_count(100), help="simulations allowed (default: parameters.yaml)"
    )
    p.add_argument("--seed", "-s", type=_count(0), default=0, help="root seed (default: 0)")
    p.add_argument("--out", "-o", type=Path, help="output folder (default: runs/calibration...)")
    p.add_argument("--resume", action="store_true", help="continue the fit checkpointed in --out")
    p.add_argument("--force", action="store_true", help="replace an earlier calibration in --out")
    p.add_argument(
        "--quick", action="store_true", help="small population and budget (tests, trials)"
    )
    mode = p.add_mutually_exclusive_group()
    mode.add_argument(
        "--holdout", metavar="FACT_ID", help="fit without the targets resting on this fact"
    )
    mode.add_argument(
        "--leave-one-out", action="store_true", help="hold out every fact in turn; write the table"
    )
    p.add_argument("--scenario-out", type=Path, help="also write the calibrated scenario here")
    p.add_argument("--workers", "-w", type=_count(1), help="worker processes (default: all cores)")
    p.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="run the simulations on a Dask cluster (tcp://HOST:PORT); same numbers as locally",
    )
    p.add_argument("--no-charts", action="store_true", help="skip the PNG charts")
    p.add_argument(
        "--scenario", type=Path, help="base scenario (default: scenarios/historical.yaml)"
    )
    p.add_argument("--targets", type=Path, help="targets file (default: calibration/targets.yaml)")
    p.add_argument(
        "--parameters", type=Path, help="priors file (default: calibration/parameters.yaml)"
    )
    p.add_argument("--seeds", type=Path, help="facts ledger folder (default: seeds/)")
    p.set_defaults(handler=run)


def _inputs(args: argparse.Namespace) -> Inputs:
    from labelmarket.calibration.pipeline import Inputs

    base = Inputs()
    return Inputs(
        scenario=args.scenario or base.scenario,
        targets=args.targets or base.targets,
        parameters=args.parameters or base.parameters,
        seeds=args.seeds or base.seeds,
    )


def _check_out(out: Path, resume: bool, force: bool) -> None:
    """Refuse to mix a new fit into a folder holding another, unless told to."""
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out}: exists and is not a folder")
    if resume or not (out.is_dir() and any(out.iterdir())):
        return
    ours = any((out / n).exists() for n in ("manifest.json", "checkpoint.npz", "leave_one_out.md"))
    ours = ours or any(out.glob("holdout-*/checkpoint.npz"))  # an interrupted leave-one-out
    if not force:
        hint = (
            "add --resume to continue it, --force to replace it" if ours else "choose another --out"
        )
        raise UsageError(f"{out}: folder is not empty; {hint}")
    if not ours:
        raise UsageError(f"{out}: --force only replaces an earlier calibration output")
    shutil.rmtree(out)


def _progress(settings: AbcSettings, state: AbcState, label: str) -> tuple[Any, Any, Any]:
    """A tqdm bar over simulations (hidden when not on a terminal) and its two callbacks."""
    from tqdm import tqdm

    bar = tqdm(total=settings.budget, initial=state.runs, unit="sim", desc=label, disable=None)

    def on_runs(n: int) -> None:
        bar.update(n)

    def on_generation(s: AbcState) -> None:
        if s.populations:
            p = s.posterior
            bar.set_postfix(
                gen=len(s.populations) - 1, eps=f"{p.epsilon:.3f}", acc=f"{p.acceptance:.3f}"
            )
        bar.n = s.runs
        bar.refresh()

    return bar, on_runs, on_generation


def _fit(
    problem: Problem,
    settings: AbcSettings,
    args: argparse.Namespace,
    out: Path,
    label: str,
    workers: int,
) -> Fitted:
    from labelmarket.calibration.errors import CalibrationInputError
    from labelmarket.calibration.pipeline import fit_config, prepare_checkpoint, run_fit

    resume = (
        args.resume and (out / "checkpoint.npz").is_file() if args.leave_one_out else args.resume
    )
    try:
        state = prepare_checkpoint(out, fit_config(problem, settings, args.seed), resume)
    except CalibrationInputError as exc:
        raise UsageError(str(exc)) from None
    bar, on_runs, on_generation = _progress(settings, state, label)
    try:
        return run_fit(problem, settings, args.seed, out, state, workers, on_runs, on_generation)
    finally:
        bar.close()


def _manifest(
    args: argparse.Namespace, problem: Problem, settings: AbcSettings, extra: dict
) -> dict:
    import datetime as dt
    import hashlib
    import platform

    from labelmarket.model.results.manifest import scenario_hash, versions

    files = {
        k: {"path": str(v), "sha256": hashlib.sha256(v.read_bytes()).hexdigest()}
        for k, v in vars(problem.inputs).items()
        if v.is_file()
    }
    return {
        "command": "labelmarket " + shlex.join(sys.argv[1:] if args.argv is None else args.argv),
        "created_utc": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "inputs": files,
        "scenario_sha256": scenario_hash(problem.resolved),
        "seed": args.seed,
        "settings": settings.model_dump(),
        "fitted_parameters": problem.fit.names,
        "targets": [t.id for t in problem.targets],
        "held_out_targets": [t.id for t in problem.held],
        "versions": versions(),
        "platform": platform.platform(),
        **extra,
    }


def run(args: argparse.Namespace) -> int:
    """Check every input, fit, write the outputs; return the exit code."""
    from labelmarket.calibration.errors import CalibrationInputError
    from labelmarket.calibration.pipeline import load_problem
    from labelmarket.model.execution.local import default_workers

    args.argv = getattr(args, "argv", None)
    inputs = _inputs(args)
    try:
        problem = load_problem(inputs, args.holdout)
        settings = problem.fit.abc.for_run(args.quick, args.budget)
        facts = None
        if args.leave_one_out:
            from labelmarket.calibration.holdout import facts_in_targets

            facts = facts_in_targets(problem.targets)
            problems = {f: load_problem(inputs, f) for f in facts}
    except CalibrationInputError as exc:
        raise UsageError(str(exc)) from None
    suffix = f"-holdout-{args.holdout}" if args.holdout else ("-loo" if args.leave_one_out else "")
    out: Path = args.out or Path("runs") / f"calibration{suffix}"
    _check_out(out, args.resume, args.force)
    workers = args.workers or default_workers()
    if args.scheduler:
        from labelmarket.model.execution.engines import DaskEngine, EngineError

        try:
            workers = DaskEngine(args.scheduler)
        except EngineError as exc:
            raise UsageError(str(exc)) from None
    try:
        if facts is not None:
            return _leave_one_out(args, problems, settings, out, workers)
        fitted = _fit(problem, settings, args, out, "calibrate", workers)
        _write(args, problem, fitted, settings, out, workers)
    finally:
        if not isinstance(workers, int):
            workers.close()
    return 0


def _write(
    args: argparse.Namespace,
    problem: Problem,
    fitted: Fitted,
    settings: AbcSettings,
    out: Path,
    workers: int,
) -> None:
    from labelmarket.calibration.pipeline import write_outputs
    from labelmarket.calibration.report import markdown_table, write_calibrated

    command = "labelmarket " + shlex.join(sys.argv[1:] if args.argv is None else args.argv)
    extra = {
        "workers": workers if isinstance(workers, int) else repr(workers),
        "simulations_fit": fitted.state.runs,
        "simulations_predictive": fitted.predictive.runs,
        "fit_seconds": round(fitted.state.elapsed, 2),
        "wall_seconds": round(fitted.wall, 2),
        "stop_reason": fitted.state.stop_reason,
        "generations": len(fitted.state.populations),
    }
    manifest = _manifest(args, problem, settings, extra)
    write_outputs(
        problem, fitted, out, settings, args.seed, workers, command, manifest, not args.no_charts
    )
    if args.scenario_out is not None:
        note = f"seed {args.seed}, {fitted.state.runs:,} simulations ({out}/fit_report.md)"
        write_calibrated(
            args.scenario_out,
            problem.inputs.scenario,
            problem.world,
            problem.fit,
            fitted.summary[1],
            note,
        )
    print(markdown_table(fitted.table))
    held = fitted.table[fitted.table["held_out"]]
    for r in held.to_dict("records"):
        verdict = "predicted within tolerance" if r["pass"] else "NOT predicted within tolerance"
        median, obs = r["simulated_median"], r["observed"]
        print(f"held out {r['target']}: {verdict} (median {median:.3g}, observed {obs})")
    print(
        f"{fitted.state.runs + fitted.predictive.runs:,} simulations in {fitted.wall:.1f} s "
        f"({fitted.state.stop_reason}); outputs in {out}/"
    )


def _leave_one_out(
    args: argparse.Namespace,
    problems: dict[str, Problem],
    settings: AbcSettings,
    out: Path,
    workers: int,
) -> int:
    import time

    import pandas as pd

    from labelmarket.calibration.holdout import holdout_rows, leave_one_out_markdown
    from labelmarket.model.results.manifest import write_json

    started = time.perf_counter()
    rows: list[dict] = []
    runs = 0
    for fact, problem in problems.items():
        fitted = _fit(problem, settings, args, out / f"holdout-{fact}", f"hold out {fact}", workers)
        rows += holdout_rows(fact, fitted.table)
        runs += fitted.state.runs + fitted.predictive.runs
    text = leave_one_out_markdown(rows, settings.budget, args.seed)
    pd.DataFrame(rows).to_csv(out / "leave_one_out.csv", index=False)
    (out / "leave_one_out.md").write_text(text + "\n", encoding="utf-8")
    first = next(iter(problems.values()))
    extra = {
        "workers": workers if isinstance(workers, int) else repr(workers),
        "simulations": runs,
        "wall_seconds": round(time.perf_counter() - started, 2),
    }
    write_json(
        out / "manifest.json",
        _manifest(args, first, settings, {**extra, "held_out_facts": list(problems)}),
    )
    print(text)
    print(f"{runs:,} simulations in {time.perf_counter() - started:.1f} s; outputs in {out}/")
    return 0
