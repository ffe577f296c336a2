"""`labelmarket compare`: scenarios side by side, and their paired differences from a baseline.

The first input is the baseline; every other one is compared with it replicate by replicate
(matched by seed). Inputs are run folders or scenario files, the latter run on the fly with
the seed and replicate count of the first run folder (or --seed / --replicates), and with
--posterior each replicate drawing its fitted parameters from one posterior sample, so
replicates pair on both their random numbers and their parameters.
"""

from __future__ import annotations

import argparse

from labelmarket.api.compare import DEFAULT, compare
from labelmarket.cli.arguments import command_line
from labelmarket.cli.logs import say


def run(args: argparse.Namespace) -> int:
    """Compare, write the folder, print the headline sentences."""
    found = compare(
        *args.runs, unpaired=args.unpaired, seed=args.seed, replicates=args.replicates,
        workers=args.workers, posterior=args.posterior, out=args.out or DEFAULT,
        force=args.force, charts=not args.no_charts, command=command_line(args.argv),
    )  # fmt: skip
    print(found)
    charts = "" if args.no_charts else ", charts/"
    say(f"wrote {found.path}/ (headline.csv, differences.csv, manifest.json{charts})")
    return 0
