"""Profiles behind the slow figures of bench_speed.py (run by hand, not a test).

    python benchmarks/profile_large.py

Prints the top functions (cProfile, internal time) of one 120-month run of the batched
engine at 1,000 clients x 100 vendors, and of the Mesa driver with its DataCollector at
1,000 clients x 5 vendors, both pinned to one core after a warm-up run; then how many bytes
of results each replicate of historical.yaml sends back from a worker process.
"""

# ruff: noqa: E402  (threads must be capped before numpy is first imported)
from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import cProfile
import pickle
import pstats
import sys
from pathlib import Path

from labelmarket.model.drivers.batched import run_batch
from labelmarket.model.drivers.mesa_model import run_mesa
from labelmarket.model.execution.engine import chunk
from labelmarket.model.execution.seeds import replicate_seeds
from labelmarket.model.scenario.compile import compile_world
from labelmarket.model.scenario.loading import load_scenario

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic_world import synthetic_world

TOP = 15
ROOT = Path(__file__).resolve().parent.parent


def profile(title: str, fn) -> None:
    """Warm up once, then print the top functions of one profiled call."""
    fn()
    prof = cProfile.Profile()
    prof.runcall(fn)
    print(f"\n=== {title} ===")
    pstats.Stats(prof).strip_dirs().sort_stats("tottime").print_stats(TOP)


def main() -> None:
    """Profile the two slowest cases, then measure what workers send back."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    large = synthetic_world(1000, 100)
    profile("batched engine, R=1, 1000 clients x 100 vendors", lambda: run_batch(large, [1]))
    many_clients = synthetic_world(1000, 5)
    profile(
        "Mesa driver with DataCollector, 1000 clients x 5 vendors",
        lambda: run_mesa(many_clients, 1, collect=True),
    )

    historical = compile_world(load_scenario(ROOT / "scenarios" / "historical.yaml"))
    seeds = replicate_seeds(0, 10_000)
    part = run_batch(historical, chunk(seeds, 2)[0])
    size = len(pickle.dumps(part, protocol=pickle.HIGHEST_PROTOCOL))
    print("\n=== results sent back by run_replicates workers, historical.yaml ===")
    per = size / part.replicates
    print(f"  {per / 1e3:.1f} kB pickled per replicate (chunk of {part.replicates})")
    print(f"  {per * len(seeds) / 1e6:,.0f} MB for {len(seeds):,} replicates")
    for key, arr in sorted(part.history.items(), key=lambda kv: -kv[1].nbytes)[:4]:
        print(f"    history[{key!r}] {arr.shape} {arr.dtype}: {arr.nbytes / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
