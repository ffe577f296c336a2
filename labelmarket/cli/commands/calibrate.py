"""`labelmarket calibrate`: fit the uncertain parameters to the corpus facts by ABC-SMC.

Writes posterior samples, a fit table, a fit report, charts, a calibrated scenario and a
manifest into --out; a checkpoint after every generation lets --resume continue an
interrupted fit exactly where it stopped. `--holdout FACT_ID` fits without the targets
resting on one fact and reports whether the fit predicts it; `--leave-one-out` does that
for every fact in turn and writes the leave-one-out table.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from labelmarket.cli.arguments import (
    add_engine,
    add_output,
    budget,
    scenario_file,
    seed_number,
)

HELP = "fit the uncertain parameters to the corpus facts (ABC-SMC)"


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register `calibrate` and its options."""
    p = sub.add_parser(
        "calibrate",
        help=HELP,
        description="Fit calibration/parameters.yaml to calibration/targets.yaml by ABC-SMC.",
    )
    p.add_argument("--budget", type=budget, help="simulations allowed (default: parameters.yaml)")
    p.add_argument("--seed", "-s", type=seed_number, default=0, help="root seed (default: 0)")
    add_output(p, "runs/calibration...", "replace an earlier calibration in --out")
    p.add_argument("--resume", action="store_true", help="continue the fit checkpointed in --out")
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
    mode.add_argument(
        "--interpretations",
        action="store_true",
        help="after the fit, refit each interpretation of the text read weaker and stronger; "
        "write which conclusions change (interpretations.md, survival.csv)",
    )
    p.add_argument(
        "--interpretation-budget",
        type=budget,
        metavar="N",
        help="simulations per --interpretations refit (default: --budget)",
    )
    p.add_argument("--scenario-out", type=Path, help="also write the calibrated scenario here")
    add_engine(p, "the simulations")
    p.add_argument("--no-charts", action="store_true", help="skip the PNG charts")
    p.add_argument(
        "--scenario", type=Path, help="base scenario file or bundled name (default: historical)"
    )
    p.add_argument("--targets", type=Path, help="targets file (default: the bundled targets.yaml)")
    p.add_argument(
        "--parameters", type=Path, help="priors file (default: the bundled parameters.yaml)"
    )
    p.add_argument("--seeds", type=Path, help="facts ledger folder (default: the bundled one)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Check every input, fit, write the outputs, print the fit table."""
    from labelmarket.api import calibrate as api
    from labelmarket.calibration.fit_table import markdown_table
    from labelmarket.calibration.holdout import facts_in_targets
    from labelmarket.calibration.pipeline import Inputs, load_problem
    from labelmarket.cli.arguments import engine_from
    from labelmarket.errors import FaultError
    from labelmarket.model.results.folders import writing
    from labelmarket.model.results.manifest import command_line

    base = Inputs()
    inputs = Inputs(
        scenario=scenario_file(args.scenario) if args.scenario else base.scenario,
        targets=args.targets or base.targets,
        parameters=args.parameters or base.parameters,
        seeds=args.seeds or base.seeds,
    )
    logging.getLogger("labelmarket").debug("calibration inputs: %s", inputs)
    problem = load_problem(inputs, args.holdout)
    settings = problem.fit.abc.for_run(args.quick, args.budget)
    problems = None
    if args.leave_one_out:
        problems = {f: load_problem(inputs, f) for f in facts_in_targets(problem.targets)}
    out: Path = args.out or api.default_out(args.holdout, args.leave_one_out)
    api.claim(out, args.resume, args.force, args.scenario_out, inputs.scenario)
    existed = out.exists()
    engine = engine_from(args)
    job = api.Calibration(
        inputs, args.seed, settings, engine, out, command_line(args.argv), args.resume,
        not args.no_charts,
    )  # fmt: skip
    try:
        with writing(out):
            if problems is not None:
                text, runs, seconds = api.leave_one_out(job, problems)
                print(text)
                print(f"{runs:,} simulations in {seconds:.1f} s; outputs in {out}/")
                return 0
            fitted = api.calibrate(job, problem, args.scenario_out)
    except FaultError as exc:  # a lost worker or scheduler, a full disk: say what is kept
        left = api.interrupted(out, job.command, existed)
        kept = left.split("; ", 1)[1] if "kept in" in left else "nothing was kept"
        raise FaultError(f"{exc}; {kept}") from None
    except KeyboardInterrupt:
        print(f"labelmarket: {api.interrupted(out, job.command, existed)}", file=sys.stderr)
        return 130
    finally:
        engine.close()
    print(markdown_table(fitted.table))
    for line in api.held_out_verdicts(fitted.table):
        print(line)
    total = fitted.state.runs + fitted.predictive.runs
    print(f"{total:,} simulations in {fitted.wall:.1f} s ({fitted.state.stop_reason}); "
          f"outputs in {out}/")  # fmt: skip
    if args.interpretations:
        return _interpretations(args, job, problem, fitted, engine)
    return 0


def _interpretations(args, job, problem, fitted, engine) -> int:
    """The sensitivity refits after the main fit (its engine reopened for them)."""
    from labelmarket.api import calibrate as api
    from labelmarket.cli.arguments import engine_from

    job.engine = engine_from(args)
    try:
        text, runs, seconds = api.interpretations(job, problem, fitted, args.interpretation_budget)
    except KeyboardInterrupt:
        print(f"labelmarket: {api.interrupted(job.out, job.command, True)}", file=sys.stderr)
        return 130
    finally:
        job.engine.close()
    print(f"\n{text}\n{runs:,} simulations in {seconds:.1f} s; outputs in {job.out}/")
    return 0
