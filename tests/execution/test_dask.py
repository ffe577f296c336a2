"""A Dask cluster gives the local numbers, for sweeps and for replicate runs."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from labelmarket.model.execution.cluster import DaskEngine
from labelmarket.model.execution.local import LocalEngine
from labelmarket.model.execution.replicates import run_replicates
from labelmarket.model.execution.seeds import replicate_seeds
from labelmarket.model.experiments.sweep import (
    plan_sweep,
    read_parts,
    run_sweep,
)
from tests.support import SCENARIOS

SMALL = {
    "name": "small",
    "scenario": str(SCENARIOS / "historical.yaml"),
    "baseline": str(SCENARIOS / "no_deal.yaml"),
    "design": "grid",
    "parameters": [
        {"path": "clients.*.conflict_sensitivity", "range": [0, 8], "levels": 3},
        {"path": "market.founder_exposure", "values": [0.0, 0.5]},
    ],
    "replicates": 3,
    "seed": 11,
    "outcomes": [
        {"metric": "revenue", "vendor": "Scale AI", "year": 2026},
        {"metric": "revenue", "vendor": "Scale AI", "year": 2026, "versus_baseline": True},
        {"metric": "defections"},
        {"metric": "leave_month", "client": "Google", "vendor": "Scale AI"},
        {"metric": "crowd_share"},
        {"metric": "hhi", "year": 2025},
        {"metric": "workforce", "vendor": "Scale AI"},
    ],
}


def write_sweep(folder: Path, **changes: object) -> Path:
    """A sweep file (SMALL with changes; a change to None drops the key) in `folder`."""
    path = folder / "sweep.yaml"
    data = {k: v for k, v in {**SMALL, **changes}.items() if v is not None}
    for key in ("scenario", "baseline"):  # a sweep names its scenarios by relative paths
        if isinstance(data.get(key), str) and Path(data[key]).is_absolute():
            data[key] = os.path.relpath(data[key], folder)
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, pd.DataFrame]:
    """The small sweep run once, uninterrupted, on one local worker: (sweep file, results)."""
    folder = tmp_path_factory.mktemp("small")
    path = write_sweep(folder)
    out = folder / "out"
    done, failed = run_sweep(plan_sweep(path), out, LocalEngine(1))
    assert (done, failed) == (18, 0)
    return path, read_parts(out)


@pytest.fixture(scope="module")
def cluster():
    """A small Dask cluster on 127.0.0.1 (threads in this process, reached over TCP)."""
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=1,
        threads_per_worker=2,
        processes=False,
        protocol="tcp",
        host="127.0.0.1",
        dashboard_address=None,
    ) as local:
        yield local.scheduler_address


def test_dask_engine_gives_the_local_numbers(small, cluster, tmp_path):
    path, expected = small
    engine = DaskEngine(cluster)
    try:
        assert engine.workers == 2
        run_sweep(plan_sweep(path), tmp_path / "d", engine, chunk_size=4)
    finally:
        engine.close()
    pd.testing.assert_frame_equal(read_parts(tmp_path / "d"), expected, check_exact=True)


def test_replicate_runs_on_dask_equal_local(cluster):
    from labelmarket.model.scenario.compile import compile_world
    from labelmarket.model.scenario.files import load_scenario

    world = compile_world(load_scenario(SCENARIOS / "historical.yaml")[0])
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
