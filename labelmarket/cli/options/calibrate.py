"""What `labelmarket calibrate` accepts: its arguments, options and --help."""

from __future__ import annotations

import argparse
from pathlib import Path

from labelmarket.cli.arguments import add_engine, add_output, budget, seed_number


def add_arguments(p: argparse.ArgumentParser) -> None:
    """`calibrate`'s arguments and options."""
    p.description = "Fit calibration/parameters.yaml to calibration/targets.yaml by ABC-SMC."
    p.add_argument("--budget", type=budget, help="simulations allowed (default: parameters.yaml)")
    p.add_argument("--seed", "-s", type=seed_number, default=0, help="root seed (default: 0)")
    add_output(
        p, "runs/calibration...; an earlier fit there is kept: --resume continues it",
        "start again over an earlier calibration in --out",
    )  # fmt: skip
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
