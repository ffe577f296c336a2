"""1,000 concurrent publish attempts at one folder, some writers killed: what is left over.

    python benchmarks/fault_publish.py --attempts 1000 --processes 4

Several processes publish the same output folder at once through `staged_folder`, as
`run`, `compare` and `sweep` do; each attempt is a forked child, and one in `--kill`
is killed with SIGKILL while staging or between its two renames (old folder aside, new
not yet in place), as the out-of-memory killer or an operator would. Afterwards one
command names the folder (`tidy`, what every command does first). Prints, for this code
and for the `main` branch's folders.py: attempts published, refused because another
writer held the folder, killed, failed with an unexpected error, folders left beside the
output before and after that command, and whether the output is one writer's whole
folder. The fault suite (`tests/faults/test_publishing.py`) runs 80 attempts.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_table import table  # noqa: E402

FILES = "abcde"
BUSY, UNEXPECTED = 3, 4  # exit codes of an attempt (0: published)


def folders_module(which: str):
    """This checkout's folders module, or the main branch's (loaded from git)."""
    if which == "this":
        from labelmarket.model.results import folders

        return folders
    source = subprocess.run(
        ["git", "show", "main:model/results/folders.py"], cwd=ROOT, capture_output=True,
        text=True, check=True,
    ).stdout  # fmt: skip
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "main_folders.py"
        path.write_text(source, encoding="utf-8")
        spec = importlib.util.spec_from_file_location("main_folders", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    return module


def attempt(folders, out: Path, me: str, fate: str) -> None:
    """One publish in a forked child; it exits with its outcome (or is killed)."""
    from labelmarket.errors import UsageError

    if fate == "between":  # SIGKILL right after the old folder was set aside
        rename = Path.rename

        def rename_then_die(self: Path, target):
            done = rename(self, target)
            if self == out:
                os.kill(os.getpid(), signal.SIGKILL)
            return done

        Path.rename = rename_then_die
    try:
        with folders.staged_folder(out) as staging:
            for name in FILES:
                (staging / name).write_text(me)
            if fate == "staging":
                os.kill(os.getpid(), signal.SIGKILL)
            time.sleep(random.random() * 0.002)
    except UsageError as exc:
        os._exit(BUSY if "another labelmarket command" in str(exc) else UNEXPECTED)
    except BaseException:  # FileNotFoundError, "Directory not empty": what main's code hits
        os._exit(UNEXPECTED)
    os._exit(0)


def worker(which: str, out: Path, attempts: int, kill_one_in: int, seed: int) -> None:
    """A publishing process: fork one child per attempt; print the outcomes as JSON."""
    folders = folders_module(which)
    rng = random.Random(seed)
    outcomes = {"published": 0, "busy": 0, "killed": 0, "unexpected": 0}
    for i in range(attempts):
        fate = rng.choice(["staging", "between"]) if rng.randrange(kill_one_in) == 0 else "ok"
        pid = os.fork()
        if pid == 0:
            random.seed(seed * 100_000 + i)
            attempt(folders, out, f"{seed}-{i}", fate)
        _, status = os.waitpid(pid, 0)
        if os.WIFSIGNALED(status):
            outcomes["killed"] += 1
        else:
            code = os.WEXITSTATUS(status)
            key = {0: "published", BUSY: "busy"}.get(code, "unexpected")
            outcomes[key] += 1
    print(json.dumps(outcomes))


def trial(which: str, attempts: int, processes: int, kill_one_in: int) -> list[str]:
    """Run the publishers at once, then one command naming the folder; a row of figures."""
    parent = Path(tempfile.mkdtemp(prefix="labelmarket-publish-"))
    out = parent / "out"
    started = time.perf_counter()
    each = attempts // processes
    command = [sys.executable, __file__, "--worker", which, str(out), str(each), str(kill_one_in)]
    procs = [
        subprocess.Popen([*command, str(seed)], stdout=subprocess.PIPE, text=True, cwd=ROOT)
        for seed in range(processes)
    ]
    totals: dict[str, int] = {}
    for proc in procs:
        for key, value in json.loads(proc.communicate()[0]).items():
            totals[key] = totals.get(key, 0) + value
    seconds = time.perf_counter() - started
    before = [p.name for p in parent.iterdir() if p.name != "out"]
    folders = folders_module(which)
    if which == "this":
        from labelmarket.model.results import leftovers

        leftovers.tidy(out)  # what any later command naming the folder does first
    else:  # main: only a writer cleans, so the next one is what a later command does
        with folders.staged_folder(out) as staging:
            for name in FILES:
                (staging / name).write_text("last")
    after = [p.name for p in parent.iterdir() if p.name != "out"]
    whole = out.is_dir() and len({(out / n).read_text() for n in FILES if (out / n).is_file()})
    whole = whole == 1 and len(list(out.iterdir())) == len(FILES)
    shutil.rmtree(parent)
    return [
        "this branch" if which == "this" else "main", f"{each * processes:,}",
        f"{totals['published']:,}", f"{totals['busy']:,}", f"{totals['killed']:,}",
        f"{totals['unexpected']:,}", f"{len(before):,}", f"{len(after):,}",
        "yes" if whole else "NO",
        f"{seconds:.1f}",
    ]  # fmt: skip


def main() -> int:
    """Run the trial for this code and for main; print the table."""
    if sys.argv[1:2] == ["--worker"]:
        which, out, attempts, kill_one_in, seed = sys.argv[2:7]
        worker(which, Path(out), int(attempts), int(kill_one_in), int(seed))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attempts", type=int, default=1000, help="in all (default 1000)")
    parser.add_argument("--processes", type=int, default=4, help="publishing at once (4)")
    parser.add_argument("--kill", type=int, default=10, help="kill one attempt in N (10)")
    parser.add_argument("--only-this", action="store_true", help="skip the main branch's code")
    args = parser.parse_args()
    rows = [trial("this", args.attempts, args.processes, args.kill)]
    if not args.only_this:
        rows.append(trial("main", args.attempts, args.processes, args.kill))
    print(f"{args.processes} processes publishing one folder, one attempt in {args.kill} killed")
    table(
        ["code", "attempts", "published", "refused busy", "killed", "unexpected errors",
         "left before", "left after next command", "output whole", "seconds"],
        rows,
    )  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
