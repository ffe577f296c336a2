"""Speed benchmarks for labelmarket: run by hand, not a test.

    python benchmarks/bench_speed.py           # full set, a few minutes
    python benchmarks/bench_speed.py --quick   # reduced set, under a minute

Sections: (1) runs per second of scenarios/historical.yaml on one core, batched engine and
Mesa driver; (2) time of one 120-month run on synthetic markets of 10-1,000 clients and
5-100 vendors; (3) 10,000 replicates with run_replicates on 1 and 2 worker processes;
(4) start-up time of the `labelmarket` command; (5) large worlds (bench_large.py). Every
figure is the median of several timed repeats after one untimed warm-up. See README.md.
"""

# ruff: noqa: E402  (threads must be capped before numpy is first imported)
from __future__ import annotations

import os

# One thread per process for every BLAS/OpenMP pool, before numpy is first imported.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import mesa
import numpy as np

from labelmarket.model.core.compiled import set_threads
from labelmarket.model.drivers.batched import run_batch
from labelmarket.model.drivers.mesa_model import run_mesa
from labelmarket.model.execution.local import LocalEngine
from labelmarket.model.execution.replicates import run_replicates
from labelmarket.model.execution.seeds import replicate_seeds
from labelmarket.model.scenario.compile import compile_world
from labelmarket.model.scenario.loading import load_scenario

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_large import section_large
from bench_table import table
from synthetic_world import synthetic_world

ROOT = Path(__file__).resolve().parent.parent
HISTORICAL = ROOT / "scenarios" / "historical.yaml"
CLI = Path(sys.executable).with_name("labelmarket")

CLIENT_GRID = (10, 100, 1000)
VENDOR_GRID = (5, 20, 100)
BATCH = 1000  # replicates per run_batch call in section 1
TARGET_BATCH_RPS = 10_000.0  # issue 16's goals, as docs/speed.md lists them
TARGET_MESA_RPS = 200.0  # without the DataCollector
TARGET_LARGE_S = 0.3  # one 120-month run at 1,000 clients x 100 vendors
TARGET_HELP_S = 0.5
TARGET_WORKERS_SPEEDUP = 1.8  # 2 workers over 1 worker on one core


def median_time(fn: Callable[[], object], repeats: int, warmup: bool = True) -> float:
    """Median wall time (s) of `repeats` calls of `fn`, after one untimed call."""
    if warmup:
        fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def verdict(ok: bool) -> str:
    """Target column text."""
    return "ok" if ok else "MISS"


def pin_one_core() -> str:
    """Pin this process to one CPU if the OS allows it; describe what was done."""
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned (no sched_setaffinity on this OS)"
    cpu = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})
    return f"pinned to CPU {cpu}"


def section_throughput(world, quick: bool) -> None:
    """(1) Replicate-runs per second of historical.yaml on one core."""
    repeats = 3 if quick else 5
    mesa_block = 10 if quick else 25
    seeds = replicate_seeds(0, max(BATCH, mesa_block))
    print(
        f"\n1. Throughput on one core: {HISTORICAL.name} ({world.n_vendors} vendors, "
        f"{world.n_clients} clients, {world.months} months); median of {repeats} repeats"
    )

    def mesa_block_fn(collect: bool) -> Callable[[], None]:
        def run() -> None:
            for s in seeds[:mesa_block]:
                run_mesa(world, int(s), collect=collect)

        return run

    t_batch = median_time(lambda: run_batch(world, seeds[:BATCH]), repeats)
    t_mesa = median_time(mesa_block_fn(False), repeats)
    t_mesa_dc = median_time(mesa_block_fn(True), repeats)
    rps = {
        "batch": BATCH / t_batch,
        "mesa": mesa_block / t_mesa,
        "mesa_dc": mesa_block / t_mesa_dc,
    }
    rows = [
        [
            f"batched engine, {BATCH} replicates per call",
            f"{t_batch:.3f}",
            BATCH,
            f"{rps['batch']:,.0f}",
            f">= {TARGET_BATCH_RPS:,.0f}",
            f"{rps['batch'] / TARGET_BATCH_RPS:.2f}",
            verdict(rps["batch"] >= TARGET_BATCH_RPS),
        ],
        [
            "Mesa driver, no DataCollector",
            f"{t_mesa:.3f}",
            mesa_block,
            f"{rps['mesa']:,.1f}",
            f">= {TARGET_MESA_RPS:,.0f}",
            f"{rps['mesa'] / TARGET_MESA_RPS:.2f}",
            verdict(rps["mesa"] >= TARGET_MESA_RPS),
        ],
        [
            "Mesa driver, with DataCollector",
            f"{t_mesa_dc:.3f}",
            mesa_block,
            f"{rps['mesa_dc']:,.1f}",
            "",
            "",
            "",
        ],
    ]
    table(["driver", "median s", "runs/call", "runs/s", "target", "x target", ""], rows)
    print(
        f"  batched / Mesa (no DataCollector): {rps['batch'] / rps['mesa']:.1f}x faster; "
        f"DataCollector costs +{t_mesa_dc / t_mesa - 1:.0%} per Mesa run"
    )


def section_scaling(quick: bool) -> None:
    """(2) One 120-month run as the market grows, for both drivers."""
    repeats = 1 if quick else 3
    print(
        f"\n2. One 120-month run of a synthetic market (benchmarks/synthetic_world.py), "
        f"one core; seconds, median of {repeats} repeat(s)"
    )
    rows = []
    large = (max(CLIENT_GRID), max(VENDOR_GRID))
    for n_clients in CLIENT_GRID:
        for n_vendors in VENDOR_GRID:
            world = synthetic_world(n_clients, n_vendors, months=120)
            skip_mesa = quick and n_clients * n_vendors >= 20_000
            t_batch = median_time(lambda w=world: run_batch(w, [1]), repeats)
            if skip_mesa:
                t_mesa = t_mesa_dc = float("nan")
            else:
                t_mesa = median_time(lambda w=world: run_mesa(w, 1, collect=False), repeats)
                t_mesa_dc = median_time(lambda w=world: run_mesa(w, 1, collect=True), repeats)
            fmt = lambda t: "skipped" if np.isnan(t) else f"{t:.3f}"  # noqa: E731
            target = ""
            if (n_clients, n_vendors) == large:
                target = f"<= {TARGET_LARGE_S} s: batched {verdict(t_batch <= TARGET_LARGE_S)}"
                if not np.isnan(t_mesa):
                    target += f", Mesa {verdict(t_mesa <= TARGET_LARGE_S)}"
            rows.append(
                [
                    f"{n_clients:>5} x {n_vendors:>3}",
                    f"{n_clients * n_vendors * 2:,}",
                    fmt(t_batch),
                    fmt(t_mesa),
                    fmt(t_mesa_dc),
                    "" if np.isnan(t_mesa) else f"{t_mesa / t_batch:.2f}",
                    "" if np.isnan(t_mesa) else f"{t_mesa_dc / t_mesa:.2f}",
                    target,
                ]
            )
    table(
        [
            "clients x vendors",
            "C*V*2 cells",
            "batched R=1",
            "Mesa",
            "Mesa + DC",
            "Mesa/batched",
            "DC/no DC",
            "target",
        ],
        rows,
    )
    print("  (DC = Mesa's DataCollector; 'Mesa' is the driver with collect=False)")


def section_workers(world, quick: bool, cores: set[int]) -> None:
    """(3) run_replicates on 1 worker (one thread, then threads on every core) and on 2."""
    n = 2_000 if quick else 10_000
    repeats = 1 if quick else 3
    seeds = replicate_seeds(0, n)
    print(
        f"\n3. Multi-process: {n:,} replicates of {HISTORICAL.name} with run_replicates; "
        f"median of {repeats} repeat(s); {len(cores)} CPU(s) available"
    )
    if quick:
        print("  (--quick: 2,000 replicates instead of 10,000)")
    warm = seeds[:500]
    engines = {  # name -> (workers, threads of a batch in this process)
        "1 worker, one thread": (1, 1),
        "1 worker, threads on every core": (1, len(cores)),
        "2 workers": (2, len(cores)),
    }
    times = {}
    for name, (workers, threads) in engines.items():
        set_threads(threads)
        run_replicates(world, warm, LocalEngine(workers))
        times[name] = median_time(
            lambda w=workers: run_replicates(world, seeds, LocalEngine(w)), repeats, warmup=False
        )
    set_threads(len(cores))
    one = times["1 worker, one thread"]
    rows = [
        [name, f"{t:.2f}", f"{n / t:,.0f}", f"{one / t:.2f}", "", "", ""]
        for name, t in times.items()
    ]
    speedup = one / times["2 workers"]
    rows[-1][4:] = [
        f">= {TARGET_WORKERS_SPEEDUP}",
        f"{speedup / TARGET_WORKERS_SPEEDUP:.2f}",
        verdict(speedup >= TARGET_WORKERS_SPEEDUP),
    ]
    table(["run_replicates", "wall s", "runs/s", "speed-up", "target", "x target", ""], rows)
    if len(cores) < 2:
        print("  (only one CPU available: no speed-up is possible)")


def section_cli() -> None:
    """(4) Start-up of the console script, in a fresh process each time."""
    repeats = 5
    print(f"\n4. Command line ({CLI}), fresh process each call; median of {repeats}")
    rows = []
    for args, target in (
        (["--help"], TARGET_HELP_S),
        (["validate", str(HISTORICAL.relative_to(ROOT))], None),
    ):

        def call(a=args) -> None:
            subprocess.run([str(CLI), *a], cwd=ROOT, check=True, capture_output=True)

        t = median_time(call, repeats)
        rows.append(
            [
                "labelmarket " + " ".join(args),
                f"{t:.3f}",
                "" if target is None else f"<= {target} s",
                "" if target is None else verdict(t <= target),
            ]
        )
    table(["command", "median s", "target", ""], rows)


def main() -> None:
    """Parse arguments and run every section."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="reduced set (fewer repeats, no 10,000 run)"
    )
    args = parser.parse_args()
    started = time.perf_counter()
    cores = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else set()
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as fh:
            cpu = next(line.split(":", 1)[1].strip() for line in fh if "model name" in line)
    except (OSError, StopIteration):
        pass
    print(f"labelmarket speed benchmark ({'quick' if args.quick else 'full'})")
    print(
        f"  python {platform.python_version()}, numpy {np.__version__}, mesa {mesa.__version__}"
        f"; {cpu}, {len(cores) or os.cpu_count()} CPU(s) available"
    )

    world = compile_world(load_scenario(HISTORICAL))
    pinned = pin_one_core()
    print(f"  sections 1-2: {pinned}; BLAS/OpenMP threads = 1")
    set_threads(1)  # one core: and no thread made now stays pinned for section 3
    section_throughput(world, args.quick)
    section_scaling(args.quick)
    if cores:
        os.sched_setaffinity(0, cores)  # let worker processes use every CPU again
    section_workers(world, args.quick, cores)
    section_cli()
    section_large(args.quick)  # pins itself to one core again
    print(f"\ntotal benchmark time {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
