"""Simulation-based calibration (Talts et al. 2018) of the fit on the model, main parameters.

Draws the main parameters from their priors (the others stay at the base scenario's values),
simulates one synthetic data set per draw, fits each with the same ABC-SMC procedure and
settings, and tabulates where each true value falls in its posterior: rank histograms and a
chi-square (and KS) uniformity test at the 1% level. Costs about datasets x budget
simulations.

    python benchmarks/bench_sbc.py [--datasets 60] [--budget 3000] [--population 150]
        [--parameters NAME ...] [--seed 7] [--workers 2]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from labelmarket.calibration.pipeline import Inputs, load_problem
from labelmarket.calibration.priors import FitSpec
from labelmarket.calibration.sbc import run_sbc
from labelmarket.calibration.simulate import Simulator
from labelmarket.model.execution.fork_server import default_workers
from labelmarket.model.execution.local import LocalEngine

MAIN = [
    "clients.Google.conflict_sensitivity",
    "clients.OpenAI.conflict_sensitivity",
    "clients.*.contract_renewal",
    "clients.*.expert_trend",
    "clients.*.budget_growth",
    "clients.*.budget",
]


def main() -> None:
    """Run the SBC and print the rank-histogram table with its verdicts."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=int, default=60)
    parser.add_argument("--budget", type=int, default=3000)
    parser.add_argument("--population", type=int, default=150)
    parser.add_argument("--parameters", nargs="+", default=MAIN)
    parser.add_argument("--bins", type=int, default=None)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workers", type=int, default=default_workers())
    args = parser.parse_args()

    problem = load_problem(Inputs())
    chosen = tuple(p for p in problem.fit.parameters if p.name in args.parameters)
    missing = set(args.parameters) - {p.name for p in chosen}
    if missing:
        parser.error(f"not in parameters.yaml: {', '.join(sorted(missing))}")
    fit = FitSpec(chosen, problem.fit.abc)
    settings = fit.abc.for_run(False, args.budget).model_copy(
        update={"population": args.population}
    )
    engine = LocalEngine(args.workers)
    started = time.perf_counter()

    def simulator(targets):
        return Simulator(problem.world, fit, targets, engine, without=problem.without)

    def progress(i: int) -> None:
        print(f"  data set {i + 1}/{args.datasets}, {time.perf_counter() - started:.0f} s",
              flush=True)  # fmt: skip

    try:
        found = run_sbc(
            simulator, fit, problem.targets, settings, args.datasets, args.seed, args.bins,
            progress,
        )  # fmt: skip
    finally:
        engine.close()
    elapsed = time.perf_counter() - started
    print(f"\nSBC: {args.datasets} data sets, {found.runs:,} simulations in {elapsed:.0f} s "
          f"(budget {args.budget:,} and population {args.population} per fit, seed {args.seed}; "
          "other parameters at the base scenario's values; "
          f"{found.reached} fits reached the targets' tolerances, the last tolerances "
          f"{found.final.min():.2f}-{found.final.max():.2f}, "
          f"median {np.median(found.final):.2f})\n")  # fmt: skip
    print(found.table())
    print(f"\n{int(found.passes().sum())} of {len(fit.names)} rank histograms uniform at 1%.")


if __name__ == "__main__":
    main()
