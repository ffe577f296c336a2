"""What the fault tests share: a tiny sweep run once cleanly, to compare recoveries with."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from labelmarket.model.execution.local import LocalEngine
from labelmarket.model.experiments.sweep import plan_sweep, read_parts, run_sweep
from tests.support import write_sweep

TINY_SWEEP = {  # 2 points x 2 replicates of one parameter, no baseline: 4 small runs
    "parameters": [{"path": "market.founder_exposure", "values": [0.0, 0.5]}],
    "replicates": 2,
    "baseline": None,
    "outcomes": [{"metric": "revenue", "vendor": "Scale AI", "year": 2026}, {"metric": "hhi"}],
}


@pytest.fixture(scope="session")
def clean_sweep(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, pd.DataFrame]:
    """The tiny sweep's file and its results, run once uninterrupted on one worker."""
    folder = tmp_path_factory.mktemp("tiny")
    path = write_sweep(folder, **TINY_SWEEP)
    run_sweep(plan_sweep(path), folder / "clean", LocalEngine(1))
    return path, read_parts(folder / "clean")
