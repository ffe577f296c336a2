"""The compiled kernel keeps the outcomes of the numpy rules it replaced (issue 16).

`tests/snapshots/port_reference.npz` holds headline outcomes of 1,000 replicates per world
from the numpy rules as they stood just before they were compiled
(`benchmarks/port_reference.py`); the kernel runs the same worlds and seeds, and each
outcome's two samples must not differ by a two-sample Kolmogorov-Smirnov test (at the 1%
level, Bonferroni-corrected over the outcomes). New numbers were allowed, different
behaviour was not.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scipy.stats import ks_2samp

from benchmarks.port_reference import REPLICATES, SEED, headline, worlds
from labelmarket.model.drivers.batched import run_batch
from labelmarket.model.execution.seeds import replicate_seeds

REFERENCE = Path(__file__).resolve().parents[1] / "snapshots" / "port_reference.npz"


@pytest.fixture(scope="module")
def reference() -> dict[str, np.ndarray]:
    """The numpy rules' outcomes, by world/outcome."""
    with np.load(REFERENCE) as saved:
        return dict(saved)


@pytest.mark.parametrize("name", ["historical", "no_deal", "synthetic"])
def test_headline_outcomes_keep_their_distributions(name: str, reference: dict) -> None:
    """Every headline outcome of the kernel is distributed as the numpy rules' was."""
    world = worlds()[name]
    outcomes = headline(world, run_batch(world, replicate_seeds(SEED, REPLICATES)))
    alpha = 0.01 / len(outcomes)
    for key, values in outcomes.items():
        before = reference[f"{name}/{key}"]
        assert len(values) == len(before) == REPLICATES
        result = ks_2samp(values, before, method="asymp")
        assert result.pvalue > alpha, f"{key}: KS {result.statistic:.3f}, p {result.pvalue:.1e}"
