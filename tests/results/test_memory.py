"""A run knows its memory and disk need before it starts: it fits, shrinks its chunks, or stops.

The need is measured from one replicate-month of whatever the engine records, so it
follows the world's size; a run that cannot fit is refused with one message (exit code 2)
before a single replicate is simulated or a file written.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from labelmarket.cli import main
from labelmarket.model.drivers.batched import run_batch
from labelmarket.model.results import memory, tables
from tests.support import HISTORICAL, compiled

GB = 1 << 30


def test_the_need_grows_with_the_world_and_the_replicates(historical) -> None:
    small = memory.measure(historical, 1_000, workers=2)
    one = run_batch(historical, [1])  # what one whole replicate records and writes
    assert small.rows == len(tables.timeseries(one, historical, "2024-01"))
    assert small.history == sum(v.nbytes for v in one.history.values())
    assert small.history > 0 and small.series > 0
    bigger = memory.measure(historical, 100_000, workers=2)
    assert bigger.main > small.main and bigger.disk >= 100 * small.disk
    # a world with more vendors records more per replicate and writes more rows
    wide = compiled("exclusive_deal.yaml")
    assert memory.measure(wide, 1_000, 2).rows >= small.rows
    assert memory.measure(historical, 1_000, 2, charts=False).series == 0


def test_chunks_shrink_until_the_workers_fit_then_the_run_is_refused(historical) -> None:
    need = memory.measure(historical, 10_000, workers=2)
    assert need.chunk == 250
    planned = memory.plan(need, available=need.memory, free_disk=None)
    assert planned.chunk == 250  # fits as it is
    one = replace(need, chunk=1)
    tight = one.memory + (need.memory - one.memory) // 3
    planned = memory.plan(need, available=tight, free_disk=None)
    assert 1 <= planned.chunk < 250 and planned.memory <= tight
    with pytest.raises(memory.ResourceError, match="even one replicate at a time"):
        memory.plan(need, available=one.memory - 1, free_disk=None)
    with pytest.raises(memory.ResourceError, match="disk"):
        memory.plan(need, available=None, free_disk=need.disk // 2)


def test_a_cluster_run_counts_only_the_main_process(historical) -> None:
    local = memory.measure(historical, 100_000, workers=8)
    remote = memory.measure(historical, 100_000, workers=8, remote=True)
    assert remote.memory == remote.main < local.memory


def test_a_million_replicates_are_refused_at_once_when_the_disk_is_small(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(memory, "free_disk", lambda folder: 10 * GB)
    out = tmp_path / "out"
    args = ["run", str(HISTORICAL), "-n", "1000000", "--no-charts", "--out", str(out)]
    assert main(args) == 2  # the most replicates the command accepts
    err = capsys.readouterr().err
    assert "1,000,000 replicates" in err and "10.0 GB free" in err
    assert "Traceback" not in err
    assert list(tmp_path.iterdir()) == []  # nothing written, no staging folder


def test_a_run_that_does_not_fit_in_little_memory_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(memory, "available_memory", lambda: 64 << 20)  # 64 MB
    out = tmp_path / "out"
    assert main(["run", str(HISTORICAL), "-n", "20", "-w", "1", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "memory" in err and "64 MB is available" in err
    assert not out.exists()
