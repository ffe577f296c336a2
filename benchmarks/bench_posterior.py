"""What a posterior ensemble costs: `run SCENARIO --posterior` against a plain run of the same size.

Two measures, each repeated and alternated so a busy machine hurts both alike: the whole
command (`labelmarket run calibrated -n N`, charts included, in a fresh process) and the
engine alone (the same replicates through `run_replicates`, one parameter row per replicate
or one shared world). The goal is at most 1.5x; the ratio of medians is printed.

    python benchmarks/bench_posterior.py [--replicates 1000] [--repeats 3] [--scenario calibrated]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from labelmarket.bundled import resolve_scenario
from labelmarket.model.execution.local import LocalEngine
from labelmarket.model.execution.replicates import run_replicates
from labelmarket.model.execution.seeds import replicate_seeds
from labelmarket.model.results.posterior import apply_sample, find_sample, read_sample
from labelmarket.model.scenario.compile import compile_world
from labelmarket.model.scenario.loading import load_scenario


def command(scenario: str, n: int, posterior: bool, folder: Path) -> float:
    """Seconds `labelmarket run` takes in a fresh process."""
    args = [sys.executable, "-m", "labelmarket", "-q", "run", scenario, "-n", str(n)]
    args += ["--out", str(folder), "--force"] + (["--posterior"] if posterior else [])
    started = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True)
    return time.perf_counter() - started


def engine_only(scenario: str, n: int, posterior: bool) -> float:
    """Seconds the engine takes for the same replicates (drawing and batching included)."""
    path = resolve_scenario(scenario)
    spec = load_scenario(path)
    world = compile_world(spec)
    seeds = replicate_seeds(0, n)
    engine = LocalEngine()
    started = time.perf_counter()
    if posterior:
        world, _ = apply_sample(read_sample(find_sample(path, True)), spec, world, seeds)
    run_replicates(world, seeds, engine)
    elapsed = time.perf_counter() - started
    engine.close()
    return elapsed


def main() -> None:
    """Alternate plain and posterior runs; print each median and their ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicates", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--scenario", default="calibrated")
    args = parser.parse_args()
    times: dict[tuple[str, bool], list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.repeats):
            for posterior in (False, True):
                out = Path(tmp) / f"run{int(posterior)}"
                times.setdefault(("command", posterior), []).append(
                    command(args.scenario, args.replicates, posterior, out)
                )
                times.setdefault(("engine", posterior), []).append(
                    engine_only(args.scenario, args.replicates, posterior)
                )
    print(f"{args.scenario}, {args.replicates:,} replicates, median of {args.repeats}:")
    for what in ("command", "engine"):
        plain, drawn = (float(np.median(times[(what, p)])) for p in (False, True))
        print(f"  {what:8s} plain {plain:6.2f} s   --posterior {drawn:6.2f} s   "
              f"ratio {drawn / plain:.2f} (goal <= 1.5)")  # fmt: skip


if __name__ == "__main__":
    main()
