"""Publishing against concurrent and dead writers: one writer per folder, nothing left over.

Two processes publishing the same folder used to fail half-way (FileNotFoundError,
"Directory not empty") and leave `.old` folders no cleanup found; two runs to one --out
both succeeded, the later silently replacing the earlier; a writer dead between its two
renames made the next run restore the old folder and then overwrite it without --force;
SIGTERM skipped every cleanup. `benchmarks/fault_publish.py` runs the 1,000-attempt case.
"""

from __future__ import annotations

import fcntl
import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from labelmarket.model.results.folders import staging_folder
from labelmarket.model.results.stream import RunWriter
from tests.support import HISTORICAL, ROOT, assert_bad_input, assert_nothing_written, call_main

RUN = ["run", str(HISTORICAL), "-n", "2", "-w", "1", "--no-charts"]
PUBLISHER = """
import json, sys, time
from pathlib import Path
from labelmarket.errors import UsageError
from labelmarket.model.results.folders import staged_folder
out, tries, me = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
done = busy = 0
for i in range(tries):
    try:
        with staged_folder(out) as staging:
            for name in "abcde":
                (staging / name).write_text(f"{me} {i}")
            time.sleep(0.002)
        done += 1
    except UsageError as exc:
        assert "another labelmarket command" in str(exc), exc
        busy += 1
        time.sleep(0.001)
print(json.dumps({"published": done, "refused": busy}))
"""


def publishers(out: Path, processes: int, tries: int) -> list[dict[str, int]]:
    """Start `processes` publishers of `out` at once; what each one did."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    pipes = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, "text": True, "env": env}
    command = [sys.executable, "-c", PUBLISHER, str(out), str(tries)]
    procs = [subprocess.Popen([*command, f"w{k}"], **pipes) for k in range(processes)]
    found = []
    for proc in procs:
        stdout, stderr = proc.communicate(timeout=120)
        assert proc.returncode == 0, stderr
        found.append(json.loads(stdout))
    return found


def test_two_publishers_at_once_never_fail_half_way_nor_leave_anything(tmp_path: Path) -> None:
    out = tmp_path / "out"
    counts = publishers(out, processes=2, tries=40)
    assert sum(c["published"] + c["refused"] for c in counts) == 80
    assert sum(c["published"] for c in counts) >= 1  # the others were refused, cleanly
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    texts = {(out / name).read_text() for name in "abcde"}
    assert len(texts) == 1, texts  # one writer's whole folder, never a mix


def test_a_second_writer_to_the_same_folder_is_refused_at_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "r"
    fd = os.open(tmp_path / ".r.lock", os.O_CREAT | os.O_RDWR)  # another command's hold
    os.write(fd, b"4242\n")
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        code, _, err = call_main([*RUN, "--out", str(out)], capsys)
    finally:
        os.close(fd)
    assert_bad_input(code, err, f"{out}: another labelmarket command (pid 4242) is writing")
    assert not out.exists()


def test_an_old_folder_a_dead_writer_set_aside_is_restored_and_not_overwritten(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "r"
    code, _, err = call_main([*RUN, "--out", str(out)], capsys)
    assert code == 0, err
    before = (out / "summary.csv").read_bytes()
    out.rename(tmp_path / ".r.staging-dead.old")  # killed between its two renames
    (tmp_path / ".r.staging-dead").mkdir()
    (tmp_path / ".r.staging-dead.lock").write_text("")
    code, _, err = call_main([*RUN, "--seed", "9", "--out", str(out)], capsys)
    assert_bad_input(code, err, f"{out}: folder is not empty")
    assert (out / "summary.csv").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r"]


def test_sigterm_cleans_up_like_ctrl_c(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def terminated(self: RunWriter, part: Any) -> None:
        os.kill(os.getpid(), signal.SIGTERM)  # what `kill PID` or a job scheduler sends

    monkeypatch.setattr(RunWriter, "add", terminated)
    out = tmp_path / "r"
    code, _, err = call_main([*RUN, "--out", str(out)], capsys)
    assert code == 143, err
    assert "terminated (SIGTERM); nothing was written" in err and "Traceback" not in err
    assert_nothing_written(out)
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL  # handler restored


def test_a_dead_writers_leftovers_are_removed_by_any_command_naming_the_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for command in (["report"], [*RUN, "--out"]):
        pid = os.fork()
        if pid == 0:  # a writer killed with SIGKILL while staging
            with staging_folder(tmp_path, "r") as staging:
                (staging / "half.parquet").write_text("half")
                os.kill(os.getpid(), signal.SIGKILL)
        os.waitpid(pid, 0)
        (tmp_path / "keep.txt").write_text("mine")
        assert len(list(tmp_path.glob(".r.*"))) == 2
        code, _, err = call_main([*command, str(tmp_path / "r")], capsys)
        assert code in (0, 2), err  # report: no such run; run: written
        assert not list(tmp_path.glob(".r.*")), command
