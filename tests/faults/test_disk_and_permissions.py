"""A full disk and read-only folders: refused before work when known, else one message.

No space (ENOSPC, injected by a patched write), a read-only file system (EROFS, injected
into the places' probe and into the final renames) end with one message that names the
output and says what to do: exit code 2 when known before anything runs, 1 when met
while working. Nothing half-written stays, and the next command recovers.
"""

from __future__ import annotations

import errno
import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from labelmarket.api import streaming
from labelmarket.model.experiments import sweep as sweep_module
from labelmarket.model.results import folders, memory
from labelmarket.model.results.stream import RunWriter
from tests.support import HISTORICAL, assert_bad_input, assert_nothing_written, call_main

RUN = ["run", str(HISTORICAL), "-n", "2", "-w", "1"]
NO_SPACE = OSError(errno.ENOSPC, "No space left on device")


def _one_message(err: str) -> str:
    """The single `labelmarket:` line of stderr (and no traceback)."""
    assert "Traceback" not in err, err
    [line] = [x for x in err.splitlines() if x.startswith("labelmarket:")]
    return line


def test_no_space_while_saving_charts_ends_with_one_message_and_nothing_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from matplotlib.figure import Figure

    def full(*args: Any, **kwargs: Any) -> None:
        raise NO_SPACE

    monkeypatch.setattr(Figure, "savefig", full)
    out = tmp_path / "r"
    code, _, err = call_main([*RUN, "--out", str(out)], capsys)
    assert code == 1, err
    message = _one_message(err)
    assert f"{out}: no space left on its disk; free some space or choose another --out" in message
    assert message.endswith(f"nothing was written to {out}")
    assert_nothing_written(out)
    monkeypatch.undo()  # space freed: the same command now writes the whole folder
    code, _, err = call_main([*RUN, "--out", str(out)], capsys)
    assert code == 0, err
    assert len(list((out / "charts").glob("*.png"))) == 4
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r"]


def test_the_disk_estimate_counts_the_charts_and_the_manifest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """600 KB free: enough for two replicates' tables, not for the charts beside them."""
    monkeypatch.setattr(memory, "free_disk", lambda folder: 600 * 1024)
    monkeypatch.setattr(streaming, "_consume", lambda *a: pytest.fail("simulated first"))
    code, _, err = call_main([*RUN, "--out", str(tmp_path / "r")], capsys)
    assert_bad_input(code, err, "would write about 2 MB", "600 KB free")
    assert list(tmp_path.iterdir()) == []
    monkeypatch.undo()
    monkeypatch.setattr(memory, "free_disk", lambda folder: 600 * 1024)
    code, _, err = call_main([*RUN, "--no-charts", "--out", str(tmp_path / "r")], capsys)
    assert code == 0, err


def test_a_sweep_that_would_not_fit_is_refused_before_anything_runs(
    clean_sweep: tuple[Path, pd.DataFrame],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(memory, "free_disk", lambda folder: 100 * 1024)
    out = tmp_path / "s"
    code, _, err = call_main(["sweep", str(clean_sweep[0]), "--out", str(out)], capsys)
    assert_bad_input(code, err, f"{out}: the sweep would write about", "100 KB free")
    assert list(tmp_path.iterdir()) == []


def test_no_space_during_a_sweep_keeps_the_finished_runs_and_resume_equals_a_clean_sweep(
    clean_sweep: tuple[Path, pd.DataFrame],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path, expected = clean_sweep
    write, written = sweep_module._write_part, []

    def fills_up(*args: Any) -> int:
        if len(written) == 2:
            raise NO_SPACE
        written.append(args)
        return write(*args)

    monkeypatch.setattr(sweep_module, "_write_part", fills_up)
    out = tmp_path / "s"
    args = ["sweep", str(path), "--out", str(out), "-w", "1", "--no-charts", "--chunk-size", "1"]
    code, _, err = call_main(args, capsys)
    assert code == 1, err
    message = _one_message(err)
    assert f"{out}: no space left on its disk" in message
    assert f"the runs finished so far are kept in {out}/parts" in message
    assert message.endswith(f"labelmarket sweep {path} --out {out} --resume")
    assert len(list((out / "parts").glob("part-*.parquet"))) == 2
    monkeypatch.undo()
    code, _, err = call_main([*args, "--resume"], capsys)
    assert code == 0, err
    results = pd.read_parquet(out / "results.parquet")
    pd.testing.assert_frame_equal(results, expected, check_exact=True)


@pytest.fixture
def read_only(monkeypatch: pytest.MonkeyPatch):
    """Make folders read-only for the places' probe: `read_only(folder)` to add one."""
    mkdtemp, frozen = folders.tempfile.mkdtemp, []

    def probe(*args: Any, dir: Any = None, **kwargs: Any) -> str:
        if any(Path(dir).resolve() == f.resolve() for f in frozen):
            raise OSError(errno.EROFS, "Read-only file system", str(dir))
        return mkdtemp(*args, dir=dir, **kwargs)

    monkeypatch.setattr(folders.tempfile, "mkdtemp", probe)
    return frozen.append


def test_read_only_places_are_refused_before_anything_runs_report_and_plot_included(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], read_only
) -> None:
    run_dir = tmp_path / "r"
    code, _, err = call_main([*RUN, "--no-charts", "--out", str(run_dir)], capsys)
    assert code == 0, err
    read_only(run_dir)
    read_only(tmp_path / "ro")
    (tmp_path / "ro").mkdir()
    before = sorted(run_dir.rglob("*"))
    for args in (
        ["report", str(run_dir)],  # into the run folder itself
        ["report", str(run_dir), "--out", str(tmp_path / "ro" / "report.html")],
        ["plot", str(run_dir)],  # checked before the folder is even read
        [*RUN, "--out", str(tmp_path / "ro" / "new")],
    ):
        code, _, err = call_main(args, capsys)
        assert_bad_input(code, err, "cannot write in", "the file system is read-only")
    assert sorted(run_dir.rglob("*")) == before
    assert list((tmp_path / "ro").iterdir()) == []


def test_a_folder_turned_read_only_mid_run_gives_one_message_and_the_next_run_cleans_up(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "r"
    frozen: list[bool] = []
    finish, rename, unlink = RunWriter.finish, Path.rename, Path.unlink  # as they were

    def finish_then_freeze(self: RunWriter) -> Any:
        done = finish(self)
        frozen.append(True)  # from here on, nothing in tmp_path can be renamed or removed
        return done

    def guarded(real):
        def call(self: Path, *args: Any, **kwargs: Any) -> Any:
            if frozen and self.parent == tmp_path:
                raise OSError(errno.EROFS, "Read-only file system", str(self))
            return real(self, *args, **kwargs)

        return call

    monkeypatch.setattr(RunWriter, "finish", finish_then_freeze)
    monkeypatch.setattr(Path, "rename", guarded(rename))
    monkeypatch.setattr(Path, "unlink", guarded(unlink))
    rmtree = shutil.rmtree
    monkeypatch.setattr(shutil, "rmtree", lambda *a, **k: None if frozen else rmtree(*a, **k))
    code, _, err = call_main([*RUN, "--no-charts", "--out", str(out)], capsys)
    assert code == 1, err
    message = _one_message(err)
    assert f"{out}: the file system is read-only (at {tmp_path}/.r.staging-" in message
    assert "; choose another --out;" in message
    assert f"the next command naming {out} removes it" in message
    assert not out.exists() and list(tmp_path.glob(".r.staging-*"))  # could not be removed
    monkeypatch.undo()  # writable again: the next command cleans up and publishes
    code, _, err = call_main([*RUN, "--no-charts", "--out", str(out)], capsys)
    assert code == 0, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r"]
    shutil.rmtree(out)
