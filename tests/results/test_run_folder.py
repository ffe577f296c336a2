"""A run folder reads back as the run that wrote it: tables, manifest and recorded arrays."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from labelmarket.cli import main
from labelmarket.model.drivers.batched import run_batch
from labelmarket.model.execution.seeds import replicate_seeds
from labelmarket.model.results.run_folder import load_run
from tests.support import HISTORICAL


def test_history_rebuilt_from_the_tidy_table_equals_the_engines(tmp_path: Path, historical) -> None:
    """Spend, budget, workforce, revenue, valuation and layoffs come back as they were."""
    out = tmp_path / "run"
    args = ["run", str(HISTORICAL), "-n", "3", "--seed", "4", "-w", "1", "--no-charts"]
    assert main([*args, "--out", str(out)]) == 0
    rebuilt = load_run(out).history()
    engine = run_batch(historical, replicate_seeds(4, 3)).history
    layoffs = engine["layoffs"].sum(-1)
    expected = {**engine, "layoffs": np.stack([layoffs, np.zeros_like(layoffs)], -1)}
    for key, values in rebuilt.items():
        np.testing.assert_allclose(values, expected[key], rtol=1e-9, atol=1e-6, err_msg=key)
