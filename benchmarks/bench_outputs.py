"""Output-pipeline benchmark: what the user waits for when `labelmarket run` writes a run.

    python benchmarks/bench_outputs.py             # every figure, about 10 minutes
    python benchmarks/bench_outputs.py --quick     # without the 100,000-replicate runs

Commands run in a fresh process each: wall time from spawn to exit; peak memory both as
`/usr/bin/time -v` reports it (the largest single process of the tree, from wait4) and
as the whole tree's proportional set size (PSS: the main process plus its workers,
shared pages counted once), sampled every 50 ms. In-process figures (the writing against
the simulation, the charts) run after one untimed warm-up. Each figure is the median of
--repeats runs (one for the 100,000-replicate runs). `ratio` is measured / target for
upper bounds and target / measured for the workers' speed-up (<= 1 meets the goal either
way). The goals are issue 16's: the whole `run -n 1000` in 1.5 s, `run -n 10000
--workers 2` in 6 s, a 10,000-replicate run's charts in 0.5 s, two workers at least 1.8x
the throughput of one. See benchmarks/README.md.
"""

# ruff: noqa: E402  (threads must be capped before numpy is first imported)
from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_reducers import SeriesOnly, nothing
from bench_table import table

ROOT = Path(__file__).resolve().parent.parent
HISTORICAL = ROOT / "scenarios" / "historical.yaml"
CLI = Path(sys.executable).with_name("labelmarket")
MB = 1 << 20


def _children(pid: int) -> list[int]:
    """A process's children (from /proc/PID/task/*/children: no scan of every process)."""
    found: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as fh:
                found += [int(c) for c in fh.read().split()]
    except OSError:
        pass
    return found


def tree_pss(roots: list[int]) -> int:
    """Bytes of PSS of `roots` and all their descendants."""
    todo, total = list(roots), 0
    while todo:
        pid = todo.pop()
        todo += _children(pid)
        try:
            with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as fh:
                total += next(int(x.split()[1]) for x in fh if x.startswith("Pss:")) * 1024
        except (OSError, StopIteration, ValueError):
            pass
    return total


def measure(args: list[str], others: list[int] = ()) -> dict:
    """Run a command; wall s, largest single-process RSS, peak tree PSS, its stdout."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(args, cwd=ROOT, stdout=out, stderr=err)
        peak, done = [0, 0], threading.Event()

        def sample() -> None:
            while not done.is_set():
                peak[0] = max(peak[0], tree_pss([proc.pid]))
                peak[1] = max(peak[1], tree_pss(list(others)))
                time.sleep(0.05)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        done.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        text, problems = out.read(), err.read()
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{problems}")
    printed = re.search(r"time: ([\d.]+) s in all", problems)  # stderr: not a result
    return {
        "wall": wall,
        "rss": usage.ru_maxrss * 1024,
        "pss": peak[0],
        "others": peak[1],
        "printed": float(printed.group(1)) if printed else float("nan"),
        "stdout": text,
    }


def run_command(n: int, out: Path, *extra: str, others: list[int] = ()) -> dict:
    """`labelmarket run historical.yaml -n N --seed 1` into `out` (replaced)."""
    shutil.rmtree(out, ignore_errors=True)
    args = [str(CLI), "run", str(HISTORICAL), "-n", str(n), "--seed", "1", "--out", str(out)]
    return measure([*args, *extra], others)


def median_of(runs: list[dict]) -> dict:
    """Per key, the median over the runs."""
    return {k: statistics.median(r[k] for r in runs) for k in runs[0] if k != "stdout"}


def row(
    what: str, measured: float, target: float, unit: str, fmt: str = "{:.2f}", lower: bool = False
) -> list:
    """One line of the results table: what, measured, target, ratio, verdict (`lower`: the
    target is a lower bound, such as a speed-up)."""
    ratio = target / measured if lower else measured / target
    verdict = "ok" if ratio <= 1 else "MISS"
    shown = (fmt + " " + unit).format(measured)
    return [what, shown, (fmt + " " + unit).format(target), f"{ratio:.2f}", verdict]


def in_process_figures(repeats: int) -> list[list]:
    """Writing against simulating (1,000 replicates), charts of 10,000 (this process)."""
    from labelmarket.api.streaming import stream_to_folder
    from labelmarket.model.execution.local import LocalEngine
    from labelmarket.model.execution.replicates import stream_replicates
    from labelmarket.model.execution.seeds import replicate_seeds
    from labelmarket.model.scenario.compile import compile_world
    from labelmarket.model.scenario.loading import load_scenario

    scenario = load_scenario(HISTORICAL)
    world = compile_world(scenario)
    engine = LocalEngine(2)
    seeds = replicate_seeds(1, 1000)
    work = Path(tempfile.mkdtemp(prefix="bench-outputs-"))

    def simulate() -> None:
        for _ in stream_replicates(world, seeds, engine, nothing):
            pass

    def write(charts: bool) -> Callable[[], None]:
        def run() -> None:
            shutil.rmtree(work / "run", ignore_errors=True)
            stream_to_folder(
                work / "run", scenario, 1000, 1, engine, "bench", charts=charts, progress=False
            )

        return run

    sim = _median_time(simulate, repeats)
    tables = _median_time(write(False), repeats)
    every = _median_time(write(True), repeats)
    for what, (wall, cpu) in {
        "simulating alone": sim,
        "+ tables": tables,
        "+ charts": every,
    }.items():
        print(
            f"  1,000 replicates, 2 workers, in-process, {what}: {wall:.2f} s wall, {cpu:.2f} s CPU"
        )
    stats, charts = _charts_of_10k(world, scenario, engine, work, repeats)
    print(
        f"  charts of 10,000 replicates: statistics alone {stats:.2f} s; statistics and drawing"
        f" {charts:.2f} s (the statistics taken on threads while the first charts are drawn)"
    )
    shutil.rmtree(work, ignore_errors=True)
    return [
        row("-n 1,000: writing tables / simulating (wall)", tables[0] / sim[0] - 1, 1.0, "x"),
        row("-n 1,000: writing tables / simulating (CPU)", tables[1] / sim[1] - 1, 1.0, "x"),
        row("-n 1,000: tables + charts / simulating (wall)", every[0] / sim[0] - 1, 1.0, "x"),
        row("-n 1,000: tables + charts / simulating (CPU)", every[1] / sim[1] - 1, 1.0, "x"),
        row("charts of a 10,000-replicate run (in-process)", charts, 0.5, "s"),
        row("  ... beyond the statistics alone", charts - stats, 0.25, "s"),
    ]


def workers_speedup(quick: bool) -> float:
    """Throughput of `run_replicates` on 2 local workers over 1 worker held to one thread
    (2,000 replicates with --quick, else 10,000; medians of 3 after a warm-up of each).

    One worker runs in-process and, left alone, spreads a batch over every core with
    threads (the compiled rules release the interpreter's lock), so "2 workers over 1"
    would compare two cores with two cores; the 1-worker, all-threads time is printed too.
    """
    from labelmarket.model.core.compiled import set_threads
    from labelmarket.model.execution.local import LocalEngine
    from labelmarket.model.execution.replicates import run_replicates
    from labelmarket.model.execution.seeds import replicate_seeds
    from labelmarket.model.scenario.compile import compile_world
    from labelmarket.model.scenario.loading import load_scenario

    world = compile_world(load_scenario(HISTORICAL))
    seeds = replicate_seeds(0, 2_000 if quick else 10_000)
    times = {}
    for workers in (1, 2):
        engine = LocalEngine(workers)
        times[workers] = _median_time(lambda e=engine: run_replicates(world, seeds, e), 3)[0]
    threads = times[1]
    set_threads(1)
    try:
        engine = LocalEngine(1)
        times[1] = _median_time(lambda: run_replicates(world, seeds, engine), 3)[0]
    finally:
        set_threads(os.cpu_count() or 1)
    print(
        f"  run_replicates, {len(seeds):,} replicates: 1 worker on one thread {times[1]:.2f} s, "
        f"2 workers {times[2]:.2f} s (1 worker on every core's thread: {threads:.2f} s)"
    )
    return times[1] / times[2]


def _charts_of_10k(world, scenario, engine, work: Path, repeats: int) -> tuple[float, float]:
    """Seconds for the statistics alone, and for statistics and drawing (overlapped, as a
    run draws them), of 10,000 replicates."""
    from labelmarket.model.charts.events import chart_events
    from labelmarket.model.charts.run import draw_charts
    from labelmarket.model.execution.replicates import stream_replicates
    from labelmarket.model.execution.seeds import replicate_seeds
    from labelmarket.model.results.bands import compute_bands, start_bands
    from labelmarket.model.results.memory import SERIES_LIMIT
    from labelmarket.model.results.metrics import month_dates
    from labelmarket.model.results.run import business_model_members
    from labelmarket.model.results.series_store import SeriesStore

    store, shapes = SeriesStore(SERIES_LIMIT, work), None
    seeds = replicate_seeds(1, 10_000)
    for _, (series, found) in stream_replicates(world, seeds, engine, SeriesOnly(world)):
        store.add(series)
        shapes = found
    dates = month_dates(scenario.start, world.months)
    models = business_model_members([(v.name, v.model) for v in scenario.vendors])
    events = chart_events(scenario, dates)

    def stats():
        return compute_bands(store, shapes, dates, world.vendors, world.clients)

    def charts() -> None:  # as a run does: the statistics taken while the first are drawn
        folder = work / "charts"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        draw_charts(start_bands(store, shapes, dates, world.vendors, world.clients), models,
                    events, folder)  # fmt: skip

    try:
        return _median_time(stats, repeats)[0], _median_time(charts, repeats)[0]
    finally:
        store.close()


def _median_time(fn: Callable[[], object], repeats: int) -> tuple[float, float]:
    """Median (wall s, CPU s of this process and its finished children) after a warm-up."""
    fn()
    walls, cpus = [], []
    for _ in range(repeats):
        cpu, started = _cpu(), time.perf_counter()
        fn()
        walls.append(time.perf_counter() - started)
        cpus.append(_cpu() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def _cpu() -> float:
    """User + system seconds of this process and of its children that have ended."""
    import resource

    me, kids = (resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def start_cluster(port: int) -> tuple[list[subprocess.Popen], str]:
    """A local Dask cluster in processes of its own: a scheduler, 2 workers x 1 thread."""
    address = f"tcp://127.0.0.1:{port}"
    dask = str(Path(sys.executable).with_name("dask"))
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    scheduler = subprocess.Popen(
        [dask, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"], **quiet
    )
    workers = subprocess.Popen(
        [dask, "worker", address, "--nworkers", "2", "--nthreads", "1", "--no-dashboard"], **quiet
    )
    from distributed import Client

    with Client(address, timeout=30) as client:
        client.wait_for_workers(2, timeout=60)
    return [scheduler, workers], address


def main() -> None:
    """Every figure of the output pipeline, as measured / target / ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip the 100,000-replicate runs")
    parser.add_argument("--repeats", type=int, default=3, help="runs per figure (default 3)")
    args = parser.parse_args()
    load = os.getloadavg()[0]
    print(f"labelmarket output benchmark; load average {load:.1f} on {os.cpu_count()} CPUs")
    work = Path(tempfile.mkdtemp(prefix="bench-outputs-"))
    rows = []
    one = median_of([run_command(1000, work / "r1k") for _ in range(args.repeats)])
    rows += [
        row("run -n 1,000: whole command, wall", one["wall"], 1.5, "s"),
        row("run -n 1,000: peak memory (largest process)", one["rss"] / MB, 600, "MB", "{:.0f}"),
        row("run -n 1,000: peak memory (whole tree, PSS)", one["pss"] / MB, 600, "MB", "{:.0f}"),
        row("run -n 1,000: wall not in the printed time", one["wall"] - one["printed"], 0.5, "s"),
    ]
    ten = median_of(
        [run_command(10_000, work / "r10k", "--workers", "2") for _ in range(args.repeats)]
    )
    rows += [
        row("run -n 10,000 -w 2: whole command, wall", ten["wall"], 6.0, "s"),
        row("run -n 10,000 -w 2: peak memory (largest)", ten["rss"] / MB, 1536, "MB", "{:.0f}"),
        row("run -n 10,000 -w 2: peak memory (tree, PSS)", ten["pss"] / MB, 1536, "MB", "{:.0f}"),
    ]
    rows += in_process_figures(args.repeats)
    rows += [row("run_replicates: 2 workers over 1", workers_speedup(args.quick), 1.8, "x",
                 lower=True)]  # fmt: skip
    if not args.quick:
        big = run_command(100_000, work / "r100k")
        rows += [
            row("run -n 100,000: peak memory (largest)", big["rss"] / MB, 2048, "MB", "{:.0f}"),
            row("run -n 100,000: peak memory (tree, PSS)", big["pss"] / MB, 2048, "MB", "{:.0f}"),
        ]
        print(f"  run -n 100,000 (local): {big['wall']:.1f} s wall")
        shutil.rmtree(work / "r100k", ignore_errors=True)
        cluster, address = start_cluster(8797)
        try:
            pids = [p.pid for p in cluster]
            far = run_command(100_000, work / "r100k", "--scheduler", address, others=pids)
        finally:
            for proc in reversed(cluster):
                proc.terminate()
                proc.wait(timeout=30)
        rows += [
            row(
                "run -n 100,000 --scheduler: peak (command)", far["rss"] / MB, 2048, "MB", "{:.0f}"
            ),
            row("  ... command tree PSS", far["pss"] / MB, 2048, "MB", "{:.0f}"),
        ]
        print(
            f"  run -n 100,000 --scheduler (local cluster, 2 workers x 1 thread): "
            f"{far['wall']:.1f} s wall; cluster processes' peak PSS {far['others'] / MB:.0f} MB"
        )
    shutil.rmtree(work, ignore_errors=True)
    print()
    table(["figure", "measured", "target", "ratio", ""], rows)
    print(f"\nload average at the end {os.getloadavg()[0]:.1f} (at the start {load:.1f})")


if __name__ == "__main__":
    main()
