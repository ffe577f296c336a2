"""Large single worlds (issue 11): run by hand, not a test.

    python benchmarks/bench_large.py            # about 3 minutes on a quiet machine
    python benchmarks/bench_large.py --quick    # 1,000 x 100 only

Figures: one 120-month run of 1,000 clients x 100 vendors on one core, batched engine,
with each record mode (`--record full|summary`): median wall time and median CPU time of
the calls after one untimed warm-up; and 100,000 clients x 20 vendors x 120 months with a
summary record, in a fresh process each repeat: wall time of `run_batch`, of the whole
process (world built, start-up, run), and its peak memory (ru_maxrss of the child). The
market is `synthetic_world.py`'s. `ratio` is measured / target (<= 1 meets it). Also
called as section 5 of bench_speed.py.
"""

# ruff: noqa: E402  (threads must be capped before numpy is first imported)
from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from bench_table import table

TARGET_LARGE_S = 0.3  # 1,000 x 100 x 120 months (issue 16)
TARGET_HUGE_S = 60.0  # 100,000 x 20 x 120 months, summary record
TARGET_HUGE_GB = 4.0
GB = 1 << 30


def _timed(fn, repeats: int) -> tuple[float, float]:
    """Median wall and CPU seconds of `repeats` calls after one untimed call."""
    fn()
    wall, cpu = [], []
    for _ in range(repeats):
        w, c = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - w)
        cpu.append(time.process_time() - c)
    return statistics.median(wall), statistics.median(cpu)


def row(what: str, measured: float, target: float, unit: str) -> list[str]:
    """One line: what, measured, target, ratio and verdict."""
    ratio = measured / target
    verdict = "met" if ratio <= 1 else f"missed by {ratio - 1:.0%}"
    return [what, f"{measured:.2f} {unit}", f"<= {target:g} {unit}", f"{ratio:.2f}", verdict]


def print_table(rows: list[list[str]]) -> None:
    """The large-world figures under their header."""
    table(["figure", "measured", "target", "ratio", ""], rows)


def large_world(repeats: int) -> list[list[str]]:
    """1,000 x 100 x 120 months on one core, each record mode."""
    from synthetic_world import synthetic_world

    from labelmarket.model.drivers.batched import run_batch

    world = synthetic_world(1000, 100)
    rows = []
    for record in ("full", "summary"):
        wall, cpu = _timed(lambda r=record: run_batch(world, [1], record=r), repeats)
        what = f"1,000 x 100 x 120 months, record {record}"
        rows.append(row(f"{what}: wall (median of {repeats})", wall, TARGET_LARGE_S, "s"))
        rows.append(row(f"{what}: CPU (median of {repeats})", cpu, TARGET_LARGE_S, "s"))
    return rows


def _child(n_clients: int, n_vendors: int) -> None:
    """In a fresh process: build, run with a summary record, print timings as JSON."""
    started = time.perf_counter()
    from synthetic_world import synthetic_world

    from labelmarket.model.drivers.batched import run_batch

    world = synthetic_world(n_clients, n_vendors)
    run_started = time.perf_counter()
    result = run_batch(world, [1], record="summary")
    done = time.perf_counter()
    history = sum(a.nbytes for a in result.history.values())
    print(json.dumps({"run": done - run_started, "process": done - started, "history": history}))


def huge_world(repeats: int) -> list[list[str]]:
    """100,000 x 20 x 120 months, summary record, each repeat in a fresh process."""
    runs = []
    for _ in range(repeats):
        cmd = [sys.executable, __file__, "--child", "100000", "20"]
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
        if peak <= before * 1024:
            print("  (peak memory of this repeat not above an earlier child's: reported as that)")
        runs.append({**json.loads(out.splitlines()[-1]), "peak": peak})
    med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    what = "100,000 x 20 x 120 months, record summary"
    print(f"  {what}: summary history {med['history'] / 2**20:.0f} MB")
    return [
        row(f"{what}: run_batch wall (median of {repeats})", med["run"], TARGET_HUGE_S, "s"),
        row(f"{what}: whole process wall", med["process"], TARGET_HUGE_S, "s"),
        row(f"{what}: peak memory (ru_maxrss)", med["peak"] / GB, TARGET_HUGE_GB, "GB"),
    ]


def section_large(quick: bool, repeats: int = 5, huge_repeats: int = 1) -> None:
    """Print the large-world figures (bench_speed.py's section 5)."""
    print("\n5. Large worlds (issue 11), one core, synthetic markets")
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    rows = large_world(repeats)
    if not quick:
        rows += huge_world(huge_repeats)
    print_table(rows)


def main() -> None:
    """Parse arguments; run the figures (or, with --child, one huge run)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="only 1,000 x 100")
    parser.add_argument("--repeats", type=int, default=5, help="repeats of 1,000 x 100")
    parser.add_argument("--huge-repeats", type=int, default=1, help="repeats of 100,000 x 20")
    parser.add_argument("--child", nargs=2, type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(*args.child)
        return
    section_large(args.quick, args.repeats, args.huge_repeats)


if __name__ == "__main__":
    main()
