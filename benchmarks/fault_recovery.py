"""Real faults against the real command: how each one ends, how fast, and the recovery.

    python benchmarks/fault_recovery.py            # every case, about 3 minutes on 2 cores
    python benchmarks/fault_recovery.py --only dask

Each case starts `labelmarket` in a fresh process (in a temporary folder), injects one
fault from outside as an operator or the kernel would (kill -9 of a local worker or of
the Dask scheduler or a Dask worker, SIGINT, SIGTERM, a truncated checkpoint or sweep
part, a disk that fills up, a folder made unwritable under the run with `chattr +i`, a
second writer, an absurd `extends:`), and records: the exit code, the seconds from the
fault to that exit, the one `labelmarket:` line, whether a traceback was printed, what
was left beside the output, and whether the next command (a rerun, or `--resume`) gives
results equal to a clean run's. The disk cases need a tmpfs mount and `chattr` (root on
Linux); they are skipped otherwise. The cheap versions of these cases run in CI
(`tests/faults/`).
"""

from __future__ import annotations

import argparse
import contextlib
import filecmp
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_table import table  # noqa: E402

LM = [sys.executable, "-m", "labelmarket"]
Row = list[str]


class Cli:
    """One `labelmarket` process in `cwd`, its stderr in a file; waited for with a deadline."""

    def __init__(self, cwd: Path, *args: str):
        fd, name = tempfile.mkstemp(prefix="labelmarket-stderr-")  # not in cwd: it may fill up
        self.err = Path(name)
        with os.fdopen(fd, "w") as fh:
            self.proc = subprocess.Popen(
                [*LM, *args], cwd=cwd, stdout=subprocess.DEVNULL, stderr=fh,
                start_new_session=True,
            )  # fmt: skip

    def wait(self, timeout: float = 300) -> tuple[int, str]:
        """Exit code and stderr (the process group is killed past the deadline)."""
        try:
            code = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            code = self.proc.wait()
        text = self.err.read_text()
        self.err.unlink()
        return code, text

    def stderr_now(self) -> str:
        """What it has said so far."""
        return self.err.read_text()


def children(pid: int) -> list[int]:
    """Processes whose parent is `pid` (Linux /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(stat.parent.name))
    return found


def local_workers(pid: int) -> list[int]:
    """The fork server's children: the local engine's workers."""
    return [w for server in children(pid) for w in children(server)]


def wait_for(condition: Callable[[], object], timeout: float = 120) -> object:
    """Poll until `condition()` is truthy; return it (None past the deadline)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if found := condition():
            return found
        time.sleep(0.05)
    return None


def outcome(code: int, err: str, since: float) -> list[str]:
    """exit code, seconds since the fault (a monotonic time), the message, traceback printed."""
    seconds = time.monotonic() - since
    said = err.split("labelmarket: ", 1)
    message = " ".join(said[1].split()) if len(said) == 2 else "(none)"
    short = message if len(message) <= 90 else message[:87] + "..."
    traceback = "yes" if "Traceback" in err else "no"
    return [str(code), f"{seconds:.1f}", short, traceback]


def leftovers(folder: Path, name: str) -> str:
    """What lies beside `folder/name` besides the output itself."""
    return str(len(list(folder.glob(f".{name}*"))))


def same_tables(a: Path, b: Path) -> str:
    """'yes' when the two run folders' tables are byte for byte the same."""
    names = ("summary.csv", "defections.csv", "decisions.csv")
    return "yes" if all(filecmp.cmp(a / n, b / n, shallow=False) for n in names) else "NO"


RUN = ["run", "historical", "-n", "3000", "--seed", "1", "--no-charts"]


def worker_cases(work: Path) -> Iterator[Row]:
    """kill -9 of a local worker once (survived) and again and again (one message)."""
    code, err = Cli(work, *RUN, "-w", "2", "--out", "clean").wait()
    assert code == 0, err
    run = Cli(work, *RUN, "-w", "2", "--out", "once")
    victim = wait_for(lambda: local_workers(run.proc.pid))
    time.sleep(1.0)
    os.kill(victim[0], signal.SIGKILL)
    since = time.monotonic()
    code, err = run.wait()
    yield ["local worker kill -9 once", *outcome(code, err, since), leftovers(work, "once"),
           same_tables(work / "clean", work / "once")]  # fmt: skip
    run = Cli(work, *RUN, "-w", "2", "--out", "always")
    wait_for(lambda: local_workers(run.proc.pid))
    since = time.monotonic()
    while run.proc.poll() is None:  # the OOM killer at work: every worker, again and again
        for pid in local_workers(run.proc.pid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        time.sleep(0.2)
    ended = outcome(*run.wait(), since)
    rerun = Cli(work, *RUN, "-w", "2", "--out", "always").wait()[0]
    yield ["local workers kill -9 repeatedly", *ended,
           leftovers(work, "always"),
           same_tables(work / "clean", work / "always") if rerun == 0 else "NO"]  # fmt: skip


def signal_cases(work: Path) -> Iterator[Row]:
    """SIGINT (Ctrl-C) and SIGTERM in the middle of a run on two workers."""
    for signum, name in ((signal.SIGINT, "Ctrl-C (SIGINT)"), (signal.SIGTERM, "SIGTERM")):
        run = Cli(work, *RUN, "-w", "2", "--out", "sig")
        workers = wait_for(lambda run=run: local_workers(run.proc.pid))
        time.sleep(1.0)
        os.kill(run.proc.pid, signum)
        since = time.monotonic()
        code, err = run.wait()
        alive = [w for w in workers or [] if Path(f"/proc/{w}").exists()]
        yield [name, *outcome(code, err, since), leftovers(work, "sig"),
               f"workers left: {len(alive)}"]  # fmt: skip


@contextlib.contextmanager
def dask_cluster(port: int) -> Iterator[tuple[subprocess.Popen, subprocess.Popen, str]]:
    """`dask scheduler` and `dask worker` (2 processes x 1 thread) on 127.0.0.1:port."""
    dask = str(Path(sys.executable).with_name("dask"))
    address = f"tcp://127.0.0.1:{port}"
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    scheduler = subprocess.Popen(
        [dask, "scheduler", "--port", str(port), "--no-dashboard"], **quiet
    )
    workers = subprocess.Popen(
        [dask, "worker", address, "--nthreads", "1", "--nworkers", "2", "--no-dashboard"], **quiet
    )
    try:
        yield scheduler, workers, address
    finally:
        for proc in (workers, scheduler):
            proc.kill()
            proc.wait()


def dask_cases(work: Path) -> Iterator[Row]:
    """kill -9 of a Dask worker (survived) and of the scheduler (one message, exit 1)."""
    args = ["run", "historical", "-n", "2000", "--seed", "2", "--no-charts"]
    code, err = Cli(work, *args, "-w", "2", "--out", "local").wait()
    assert code == 0, err
    with dask_cluster(8799) as (scheduler, workers, address):
        time.sleep(4)  # the workers register
        run = Cli(work, *args, "--scheduler", address, "--out", "dw")
        wait_for(lambda: "simulating" in run.stderr_now() or run.proc.poll() is not None)
        time.sleep(2)
        os.kill(children(workers.pid)[0], signal.SIGKILL)
        since = time.monotonic()
        code, err = run.wait()
        yield ["Dask worker kill -9", *outcome(code, err, since), leftovers(work, "dw"),
               same_tables(work / "local", work / "dw") if code == 0 else "NO"]  # fmt: skip
    with dask_cluster(8798) as (scheduler, workers, address):
        time.sleep(4)
        run = Cli(work, *args, "--scheduler", address, "--out", "ds")
        wait_for(lambda: "simulating" in run.stderr_now() or run.proc.poll() is not None)
        time.sleep(2)
        scheduler.kill()
        since = time.monotonic()
        ended = outcome(*run.wait(), since)
        rerun = Cli(work, *args, "-w", "2", "--out", "ds").wait()[0]
        yield ["Dask scheduler kill -9", *ended, leftovers(work, "ds"),
               same_tables(work / "local", work / "ds") if rerun == 0 else "NO"]  # fmt: skip


def damaged_state_cases(work: Path) -> Iterator[Row]:
    """Truncated and overwritten checkpoint, truncated sweep part: --resume recomputes."""
    cal = ["calibrate", "--quick", "--budget", "1000", "--seed", "1", "--no-charts", "-w", "2"]
    code, err = Cli(work, *cal, "--out", "cal").wait()
    assert code == 0, err
    for how, damage in (("truncated", _truncate), ("overwritten", _overwrite)):
        shutil.copytree(work / "cal", work / "cal2")
        damage(work / "cal2" / "checkpoint.npz")
        since = time.monotonic()
        code, err = Cli(work, *cal, "--out", "cal2", "--resume").wait()
        warned = "damaged" in err
        equal = filecmp.cmp(work / "cal" / "fit_table.csv", work / "cal2" / "fit_table.csv", False)
        yield [f"checkpoint {how}", *outcome(code, err, since)[:2],
               "warned, set aside, refitted" if warned else "(no warning)",
               "yes" if "Traceback" in err else "no", "-", "yes" if equal else "NO"]  # fmt: skip
        shutil.rmtree(work / "cal2")
    sweep = ["sweep", "conflict_vs_expert_trend", "--no-charts", "-w", "2"]
    code, err = Cli(work, *sweep, "--out", "sw").wait()
    assert code == 0, err
    code, err = Cli(work, *sweep, "--out", "sw2", "--limit", "100", "--chunk-size", "25").wait()
    _truncate(sorted((work / "sw2" / "parts").glob("part-*.parquet"))[1])
    since = time.monotonic()
    code, err = Cli(work, *sweep, "--out", "sw2", "--resume").wait()
    equal = filecmp.cmp(work / "sw" / "summary.csv", work / "sw2" / "summary.csv", False)
    yield ["sweep part truncated", *outcome(code, err, since)[:2],
           "warned, set aside, rerun" if "damaged" in err else "(no warning)",
           "yes" if "Traceback" in err else "no", "-", "yes" if equal else "NO"]  # fmt: skip


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _overwrite(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2 : len(data) // 2 + 64] = b"\xa5" * 64
    path.write_bytes(bytes(data))


@contextlib.contextmanager
def tmpfs(size: str) -> Iterator[Path | None]:
    """A fresh tmpfs of `size` (None where mounting is not allowed)."""
    folder = Path(tempfile.mkdtemp(prefix="labelmarket-tmpfs-"))
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True
    ).returncode == 0  # fmt: skip
    try:
        yield folder if mounted else None
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(folder)], check=False)
        folder.rmdir()


def disk_cases(work: Path) -> Iterator[Row]:
    """A disk too small (refused first), one that fills up, a folder made unwritable."""
    args = ["run", "historical", "-n", "300", "--seed", "3"]
    code, err = Cli(work, *args, "-w", "2", "--out", "clean3").wait()
    assert code == 0, err
    with tmpfs("1m") as disk:
        if disk is None:
            yield ["disk cases", "skipped: cannot mount a tmpfs here", "", "", "", "", ""]
            return
        since = time.monotonic()
        code, err = Cli(disk, "run", "historical", "-n", "2", "--out", "r").wait()
        yield ["disk of 1 MB (estimate)", *outcome(code, err, since), leftovers(disk, "r"), "-"]
    with tmpfs("80m") as disk:
        run = Cli(disk, *args, "-w", "2", "--out", "r")
        wait_for(lambda: list(disk.glob(".r.staging-*/timeseries.parquet/*")))
        filler = disk / "filler"
        subprocess.run(["dd", "if=/dev/zero", f"of={filler}", "bs=1M", "count=80"],
                       capture_output=True, check=False)  # fmt: skip
        since = time.monotonic()
        ended = outcome(*run.wait(), since)
        filler.unlink()
        rerun = Cli(disk, *args, "-w", "2", "--out", "r").wait()[0]
        yield ["disk fills up mid-run", *ended, leftovers(disk, "r"),
               same_tables(work / "clean3", disk / "r") if rerun == 0 else "NO"]  # fmt: skip
    folder = work / "frozen"  # ext4 and the like: chattr +i makes a folder unwritable, even
    folder.mkdir()  # to root (a read-only remount is refused while the run holds its locks)
    run = Cli(folder, *args, "-w", "2", "--out", "r")
    wait_for(lambda: list(folder.glob(".r.staging-*/timeseries.parquet/*")))
    frozen = subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode == 0
    since = time.monotonic()
    ended = outcome(*run.wait(), since)
    left = leftovers(folder, "r")
    subprocess.run(["chattr", "-i", str(folder)], capture_output=True, check=False)
    rerun = Cli(folder, *args, "-w", "2", "--out", "r").wait()[0]
    yield ["folder made unwritable mid-run" + ("" if frozen else " (chattr failed)"), *ended,
           f"{left}, then {leftovers(folder, 'r')}",
           same_tables(work / "clean3", folder / "r") if rerun == 0 else "NO"]  # fmt: skip


def input_cases(work: Path) -> Iterator[Row]:
    """Two runs to one --out at once; an `extends:` path of 5,000 characters."""
    first = Cli(work, *RUN, "-w", "2", "--out", "both")
    wait_for(lambda: (work / ".both.lock").exists())
    since = time.monotonic()
    code, err = Cli(work, *RUN, "-w", "2", "--out", "both").wait()
    second = outcome(code, err, since)
    first_code = first.wait()[0]
    yield ["second run to the same --out", *second, leftovers(work, "both"),
           f"first run: exit {first_code}"]  # fmt: skip
    (work / "long.yaml").write_text(f"extends: {'a' * 4995}.yaml\nname: x\n", encoding="utf-8")
    since = time.monotonic()
    code, err = Cli(work, "run", "long.yaml", "--out", "long").wait()
    yield ["extends: of 5,000 characters", *outcome(code, err, since), leftovers(work, "long"), "-"]


CASES = {
    "workers": worker_cases,
    "signals": signal_cases,
    "dask": dask_cases,
    "state": damaged_state_cases,
    "disk": disk_cases,
    "inputs": input_cases,
}


def main() -> int:
    """Run the chosen cases in a temporary folder; print one row per fault."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=sorted(CASES), action="append", help="these cases")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="labelmarket-faults-"))
    rows: list[Row] = []
    started = time.perf_counter()
    try:
        for name in args.only or list(CASES):
            for row in CASES[name](work):
                rows.append(row)
                print(f"  {row[0]}: exit {row[1]} after {row[2]} s", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"\n{len(rows)} faults in {time.perf_counter() - started:.0f} s (seconds: from the "
          "fault to the command's exit)")  # fmt: skip
    table(["fault", "exit", "seconds", "message", "traceback", "left beside", "recovery"], rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
