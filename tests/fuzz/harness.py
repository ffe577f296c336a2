"""Run one bad-input case as the command line would, and check the contract for it.

Each case runs in a child process forked from this one (the package already imported, so a
case costs milliseconds, not an interpreter start), in a fresh sandbox: `in/` holds its input
files, `work/` is its empty working folder (where a default `runs/` would appear) and
`escape/` stands for everywhere else (secrets, places a bad name might point to). The
contract, checked after every case: exit code 2, no traceback, a message on stderr, nothing
written anywhere in the sandbox, no secret echoed, within the time and memory bounds.
"""

from __future__ import annotations

import os
import resource
import signal
import sys
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

TIME_LIMIT = 30  # seconds per case
MEMORY_LIMIT = 2 << 30  # bytes of address space a case may add to its parent's


@dataclass
class Case:
    """Bad input: a command line and the files it names (`{IN}`, `{WORK}`, `{ESCAPE}`)."""

    family: str
    argv: list[str]
    files: dict[str, str | bytes] = field(default_factory=dict)  # "in/x.yaml" -> content
    links: dict[str, str] = field(default_factory=dict)  # "in/x.yaml" -> target
    secrets: tuple[str, ...] = ()  # text that must never appear in the output
    max_lines: int | None = None  # most stderr lines allowed (capped problem lists)


@dataclass
class Verdict:
    """What a case did and which parts of the contract it broke (none: clean)."""

    case: Case
    code: int | None
    seconds: float
    memory: int  # peak resident bytes of the child
    stderr: str
    broken: list[str]

    @property
    def clean(self) -> bool:
        """True when the case kept every part of the contract."""
        return not self.broken


WARM = (
    "labelmarket.cli.main", "labelmarket.model.scenario.files", "labelmarket.api.run",
    "labelmarket.api.inputs", "labelmarket.api.compare", "labelmarket.api.calibrate",
    "labelmarket.model.experiments.sweep", "labelmarket.model.experiments.sweep_folder",
    "labelmarket.calibration.pipeline", "labelmarket.report.text", "pandas",
)  # fmt: skip


def warm() -> None:
    """Import what the commands import, once, so each forked case starts in milliseconds."""
    import importlib

    for name in WARM:
        importlib.import_module(name)


def _fill(text: str, places: dict[str, Path]) -> str:
    """Replace {IN}, {WORK} and {ESCAPE} with the sandbox's folders."""
    for key, path in places.items():
        text = text.replace("{" + key + "}", str(path))
    return text


def _prepare(case: Case, sandbox: Path) -> dict[str, Path]:
    """Create the sandbox folders, the case's files and links; return the folders."""
    places = {name.upper(): sandbox / name for name in ("in", "work", "escape")}
    for path in places.values():
        path.mkdir(parents=True)
    for name, content in case.files.items():
        target = sandbox / name
        target.parent.mkdir(parents=True, exist_ok=True)
        data = content.encode("utf-8") if isinstance(content, str) else content
        target.write_bytes(_fill(data.decode("latin-1"), places).encode("latin-1"))
    for name, to in case.links.items():
        (sandbox / name).symlink_to(_fill(to, places))
    return places


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """Every path under `folder`; files with their size and modification time."""
    found = {}
    for path in sorted(folder.rglob("*")):
        info = path.lstat()
        is_file = not path.is_dir() or path.is_symlink()
        found[str(path.relative_to(folder))] = (
            (info.st_size, info.st_mtime_ns) if is_file else (0, 0)
        )
    return found


def _child(argv: list[str], work: Path, out: Path, err: Path) -> None:
    """In the forked child: bounds, redirected output, the command line, exit."""
    code = 1
    try:
        os.chdir(work)
        used = resource.getrlimit(resource.RLIMIT_AS)[0]
        limit = _address_space() + MEMORY_LIMIT
        if used == resource.RLIM_INFINITY or used > limit:
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        signal.alarm(TIME_LIMIT)
        for fd, path in ((1, out), (2, err)):
            os.dup2(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC), fd)
        sys.stdout = open(1, "w", closefd=False)  # noqa: SIM115 (a test runner may have
        sys.stderr = open(2, "w", closefd=False)  # noqa: SIM115  replaced both streams)
        from labelmarket.cli import main

        code = main(argv)
    except SystemExit as exc:  # argparse refuses with exit code 2
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:
        traceback.print_exc()
        code = 101
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def _address_space() -> int:
    """This process's virtual memory size, in bytes."""
    with open("/proc/self/statm", encoding="ascii") as f:
        return int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def run_case(case: Case, sandbox: Path) -> Verdict:
    """Run the case in a forked child inside `sandbox` and judge it against the contract."""
    warm()
    places = _prepare(case, sandbox)
    argv = [_fill(a, places) for a in case.argv]
    logs = sandbox.parent / f"{sandbox.name}.log"
    out, err = logs.with_suffix(".out"), logs.with_suffix(".err")
    before = _snapshot(sandbox)
    sys.stdout.flush()
    sys.stderr.flush()
    started = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        _child(argv, places["WORK"], out, err)
    _, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    stdout = out.read_text(errors="replace") if out.exists() else ""
    stderr = err.read_text(errors="replace") if err.exists() else ""
    broken = _judge(case, code, stdout, stderr, before, _snapshot(sandbox))
    if seconds > TIME_LIMIT:
        broken.append(f"took {seconds:.1f} s")
    return Verdict(case, code, seconds, usage.ru_maxrss * 1024, stderr, broken)


def _judge(case: Case, code: int, stdout: str, stderr: str, before: dict, after: dict) -> list:
    """The parts of the contract this run broke."""
    broken = []
    if code != 2:
        broken.append(f"exit code {code}")
    if "Traceback" in stderr or "Traceback" in stdout:
        broken.append("traceback")
    if not stderr.strip():
        broken.append("no message on stderr")
    changed = sorted(set(before.items()) ^ set(after.items()))
    if changed:
        broken.append(f"wrote {sorted({name for name, _ in changed})[:5]}")
    for secret in case.secrets:
        if secret in stdout or secret in stderr:
            broken.append(f"echoed the secret {secret!r}")
    if case.max_lines is not None and stderr.count("\n") > case.max_lines:
        broken.append(f"{stderr.count(chr(10))} lines of messages")
    return broken
