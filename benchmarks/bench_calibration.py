"""Parameter-recovery benchmark: every fitted parameter, several known truths, full ABC-SMC.

For each truth (drawn by Latin hypercube from the middle 80% of every prior), the model is
simulated at the truth, the targets are replaced by the simulated medians, the calibration
is rerun, and we count how many known values fall inside their 90% posterior intervals.
Parameters the facts do not pin down come back with prior-wide intervals (they cover the
truth trivially), so the table also shows how much each interval shrank.

    python benchmarks/bench_calibration.py [--truths 3] [--budget 200000] [--seed 11] [--workers 2]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from scipy.stats import qmc

from labelmarket.calibration.pipeline import Inputs, load_problem
from labelmarket.calibration.recovery import recover
from labelmarket.model.execution.fork_server import default_workers
from labelmarket.model.execution.local import LocalEngine


def main() -> None:
    """Run the benchmark and print one Markdown table per truth plus the overall coverage."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--truths", type=int, default=3)
    parser.add_argument("--budget", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--workers", type=int, default=default_workers())
    args = parser.parse_args()

    problem = load_problem(Inputs())
    fit = problem.fit
    settings = fit.abc.for_run(False, args.budget)
    design = qmc.LatinHypercube(d=len(fit.parameters), seed=args.seed).random(args.truths)
    truths = fit.from_unit(0.1 + 0.8 * design)
    inside, shrink = [], []
    for i, truth in enumerate(truths):
        started = time.perf_counter()
        engine = LocalEngine(args.workers)
        result = recover(
            problem.world, fit, problem.targets, truth, settings, args.seed + i, engine,
            problem.without,
        )  # fmt: skip
        elapsed = time.perf_counter() - started
        width = result.summary[2] - result.summary[0]
        prior_width = np.array(
            [
                p.from_unit(np.array([0.95]))[0] - p.from_unit(np.array([0.05]))[0]
                for p in fit.parameters
            ]
        )
        inside.append(result.inside)
        shrink.append(width / prior_width)
        print(f"\n### Truth {i + 1}: {result.inside.sum()} of {len(truth)} inside the 90% interval "
              f"({result.runs:,} simulations, {elapsed:.0f} s)\n")  # fmt: skip
        print(result.table())
        print(
            "\n90% interval width / prior 90% width: "
            + ", ".join(f"{s:.2f}" for s in width / prior_width)
        )
    covered = np.array(inside)
    ratio = np.array(shrink)
    print(f"\nCoverage: {covered.sum()} of {covered.size} known values inside their 90% intervals.")
    print("Median interval width / prior width per parameter:")
    for name, r in zip(fit.names, np.median(ratio, axis=0), strict=True):
        print(f"  {name:35s} {r:.2f}")


if __name__ == "__main__":
    main()
