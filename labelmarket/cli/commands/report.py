"""`labelmarket report`: one self-contained report.html for a run (optionally versus a baseline)
or for a sweep (its design, outcomes, sensitivity, charts and scenario discoveries).

A run's report opens with the question, the answer with its interval and the three charts
that carry it; then outcomes by vendor, the comparison, every chart (embedded), the facts
ledger beside simulated values for historical or calibrated runs, the scenario and the
manifest. It is written to a temporary file and renamed, so it is never half there.
"""

from __future__ import annotations

import argparse

from labelmarket.api.report import write_report
from labelmarket.cli.logs import say


def run(args: argparse.Namespace) -> int:
    """Write the report and say where."""
    out, size = write_report(
        args.run_dir, out=args.out, baseline=args.compare, unpaired=args.unpaired,
        facts=args.facts, seeds=args.seeds,
    )  # fmt: skip
    say(f"wrote {out} ({size / 1e6:.1f} MB, self-contained)")
    return 0
