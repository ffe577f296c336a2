"""`labelmarket calibrate`: fit the uncertain parameters to the corpus facts by ABC-SMC.

Writes posterior samples, a fit table, a fit report, charts, a calibrated scenario and a
manifest into --out; a checkpoint after every generation lets --resume continue an
interrupted fit exactly where it stopped. `--holdout FACT_ID` fits without the targets
resting on one fact and reports whether the fit predicts it; `--leave-one-out` does that
for every fact in turn and writes the leave-one-out table.
"""

from __future__ import annotations

import argparse

from labelmarket.api.calibrate import DEFAULT, calibrate
from labelmarket.cli.arguments import command_line
from labelmarket.cli.logs import say


def run(args: argparse.Namespace) -> int:
    """Check every input, fit, write the outputs, print the fit table."""
    found = calibrate(
        args.scenario, out=args.out or DEFAULT, seed=args.seed, budget=args.budget,
        quick=args.quick, resume=args.resume, force=args.force, holdout=args.holdout,
        leave_one_out=args.leave_one_out, interpretations=args.interpretations,
        interpretation_budget=args.interpretation_budget, scenario_out=args.scenario_out,
        targets=args.targets, parameters=args.parameters, seeds=args.seeds,
        workers=args.workers, scheduler=args.scheduler, charts=not args.no_charts,
        command=command_line(args.argv),
    )  # fmt: skip
    print(found.text)
    say(found.work)
    return 0
