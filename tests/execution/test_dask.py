"""A Dask cluster gives the local numbers, for sweeps and for replicate runs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from labelmarket.model.execution.cluster import DaskEngine
from labelmarket.model.execution.local import LocalEngine
from labelmarket.model.execution.replicates import run_replicates
from labelmarket.model.execution.seeds import replicate_seeds
from labelmarket.model.experiments.sweep import (
    plan_sweep,
    read_parts,
    run_sweep,
)
from tests.support import SCENARIOS, dask_scheduler


@pytest.fixture(scope="module")
def cluster():
    """A small Dask cluster on 127.0.0.1 (threads in this process, reached over TCP)."""
    with dask_scheduler() as address:
        yield address


def test_dask_engine_gives_the_local_numbers(small_sweep, cluster, tmp_path):
    path, expected = small_sweep
    engine = DaskEngine(cluster)
    try:
        assert engine.workers == 2
        run_sweep(plan_sweep(path), tmp_path / "d", engine, chunk_size=4)
    finally:
        engine.close()
    pd.testing.assert_frame_equal(read_parts(tmp_path / "d"), expected, check_exact=True)


def test_replicate_runs_on_dask_equal_local(cluster):
    from labelmarket.model.scenario.compile import compile_world
    from labelmarket.model.scenario.loading import load_scenario

    world = compile_world(load_scenario(SCENARIOS / "historical.yaml"))
    seeds = replicate_seeds(3, 6)
    local = run_replicates(world, seeds, LocalEngine(1))
    engine = DaskEngine(cluster)
    try:
        remote = run_replicates(world, seeds, engine)
    finally:
        engine.close()
    for key, values in local.history.items():
        np.testing.assert_array_equal(remote.history[key], values)
    for key, values in local.defections.items():
        np.testing.assert_array_equal(remote.defections[key], values)


def test_without_the_cluster_extra_a_scheduler_is_refused_with_the_install_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import sys

    from labelmarket.cli.main import main
    from labelmarket.model.execution.engine import EngineError
    from labelmarket.model.execution.launch import make_engine

    monkeypatch.setitem(sys.modules, "distributed", None)  # as if not installed
    with pytest.raises(EngineError, match=r"pip install (-e '\.|'labelmarket)\[cluster\]'"):
        make_engine(scheduler="tcp://127.0.0.1:9")
    assert main(["run", "historical", "-n", "2", "--scheduler", "tcp://127.0.0.1:9"]) == 2
    assert "optional 'cluster' extra" in capsys.readouterr().err
