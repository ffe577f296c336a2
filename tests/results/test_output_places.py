"""Output places: checked before anything runs, defaults inside runs/, staging that a killed
writer cannot leave behind, and a final rename that never loses the old folder."""

from __future__ import annotations

import fcntl
import os
import signal
from pathlib import Path

import pytest

from labelmarket.api import compare as compare_api
from labelmarket.errors import UsageError
from labelmarket.model.results import folder_lock
from labelmarket.model.results.folders import (
    check_file_out,
    check_out,
    clean_stale,
    default_out,
    publish,
    staged_folder,
    staging_folder,
)
from tests.support import HISTORICAL, assert_bad_input, call_main


@pytest.mark.parametrize(
    ("out", "words"),
    [
        ("", "--out must name a folder"),
        ("..", "--out must name a folder"),
        ("/proc/x", "cannot write in /proc"),
        ("/proc/self/x", "cannot write in /proc"),
        ("{tmp}/file.txt", "exists and is not a folder"),
        ("{tmp}/file.txt/x", "is a file"),
        ("{tmp}/" + "x" * 300, "longer than 255 bytes"),
    ],
)
def test_run_refuses_a_bad_output_place_before_simulating(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    out: str,
    words: str,
) -> None:
    (tmp_path / "file.txt").write_text("mine")
    from labelmarket.api import run as run_api

    def simulate(*args, **kwargs):
        raise AssertionError("simulated before checking the output place")

    monkeypatch.setattr(run_api, "stream_to_folder", simulate)
    monkeypatch.chdir(tmp_path)
    code, _, err = call_main(
        ["run", str(HISTORICAL), "-n", "1", "--out", out.format(tmp=tmp_path)], capsys
    )
    assert_bad_input(code, err, words)
    assert (tmp_path / "file.txt").read_text() == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.txt"]


def test_compare_checks_out_before_running_scenario_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from labelmarket.api import inputs

    monkeypatch.setattr(inputs, "run_scenario", lambda *a: pytest.fail("ran a scenario"))
    args = ["compare", str(HISTORICAL), str(HISTORICAL), "-n", "1", "--out", "/proc/x"]
    code, _, err = call_main(args, capsys)
    assert_bad_input(code, err, "/proc/x", "cannot write")


def test_calibrate_checks_the_scenario_out_before_fitting(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "cal"
    args = ["calibrate", "--quick", "--out", str(out), "--scenario-out", str(tmp_path)]
    code, _, err = call_main(args, capsys)
    assert_bad_input(code, err, "is a folder; give a file name")
    assert not out.exists()
    with pytest.raises(UsageError, match="cannot write in /proc"):
        check_file_out(Path("/proc/x.yaml"))


def test_defaults_stay_inside_runs() -> None:
    assert default_out("historical") == Path("runs/historical")
    assert default_out("sweeps", "tiny") == Path("runs/sweeps/tiny")
    for bad in ("..", "../x", "/abs", "a/b", "", ".hidden", "x" * 256):
        with pytest.raises(UsageError, match="cannot name an output folder"):
            default_out(bad)


def test_compare_default_refuses_a_crafted_run_name_and_shortens_long_ones() -> None:
    class Run:
        def __init__(self, name: str) -> None:
            self.name = name

    with pytest.raises(UsageError, match="cannot name an output folder"):
        compare_api.default_folder([Run("base"), Run("x/../../../y")])
    long = compare_api.default_folder([Run("base")] + [Run("n" * 64) for _ in range(6)])
    assert long.parent == Path("runs") and len(long.name) <= 120
    assert long != compare_api.default_folder([Run("base")] + [Run("n" * 64) for _ in range(7)])


def test_run_default_output_is_runs_slash_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = call_main(
        ["run", str(HISTORICAL), "-n", "1", "--workers", "1", "--no-charts"], capsys
    )
    assert code == 0, err
    assert sorted(str(p.relative_to(tmp_path)) for p in tmp_path.glob("*/*")) == ["runs/historical"]


def _killed_writer(parent: Path, name: str) -> None:
    """A child that opens a staging folder, writes in it and is killed with SIGKILL."""
    pid = os.fork()
    if pid == 0:
        with staging_folder(parent, name) as staging:
            (staging / "half.parquet").write_text("half")
            os.kill(os.getpid(), signal.SIGKILL)
    os.waitpid(pid, 0)


def test_a_killed_writers_staging_is_removed_by_the_next_run(tmp_path: Path) -> None:
    _killed_writer(tmp_path, "out")
    left = sorted(p.name for p in tmp_path.iterdir())
    assert len(left) == 2 and all(n.startswith(".out.staging-") for n in left), left
    with staged_folder(tmp_path / "out") as staging:
        (staging / "manifest.json").write_text("{}")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    assert (tmp_path / "out" / "manifest.json").is_file()


def test_a_live_writers_staging_is_left_alone(tmp_path: Path) -> None:
    with staging_folder(tmp_path, "out") as mine:
        assert clean_stale(tmp_path, "out") == []
        assert mine.is_dir()
    lock = tmp_path / ".out.staging-abc.lock"
    (tmp_path / ".out.staging-abc").mkdir()
    fd = os.open(lock, os.O_CREAT | os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # another process's lock (flock is per open file)
        assert clean_stale(tmp_path, "out") == []
    finally:
        os.close(fd)
    assert clean_stale(tmp_path, "out") == [tmp_path / ".out.staging-abc"]
    assert list(tmp_path.iterdir()) == []


def test_publish_replaces_by_renames_and_never_loses_the_old_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "old.txt").write_text("old")
    with staged_folder(out) as staging:
        (staging / "new.txt").write_text("new")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    assert [p.name for p in out.iterdir()] == ["new.txt"]
    # a writer killed between its two renames: the old folder is aside, the new one unplaced
    aside = tmp_path / ".out.staging-dead.old"
    out.rename(aside)
    (tmp_path / ".out.staging-dead").mkdir()
    (tmp_path / ".out.staging-dead.lock").write_text("")
    clean_stale(tmp_path, "out")
    assert [p.name for p in out.iterdir()] == ["new.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    # a rename that fails puts the old folder back
    staging = tmp_path / "staging"
    staging.mkdir()
    real = Path.rename

    def failing(self: Path, target):
        if self == staging:
            raise OSError("disk gone")
        return real(self, target)

    monkeypatch.setattr(Path, "rename", failing)
    with pytest.raises(OSError, match="disk gone"):
        publish(staging, out)
    assert [p.name for p in out.iterdir()] == ["new.txt"]


def test_check_out_still_guards_folders(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine")
    with pytest.raises(UsageError, match="not empty"):
        check_out(tmp_path)
    with pytest.raises(UsageError, match="only replaces an earlier"):
        check_out(tmp_path, force=True)
    assert check_out(tmp_path / "new") is False
    assert not (tmp_path / "new").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [".new.lock", "keep.txt"]  # held
    folder_lock.release_all()  # what the command does when it ends
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]  # the probe left nothing
