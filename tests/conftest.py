"""Fixtures every test package shares: the project root, small worlds, a browser."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from tests.support import CHROMIUM, CHROMIUM_FLAGS, ROOT, compiled, write_sweep


@pytest.fixture(scope="session")
def root() -> Path:
    """The project's top folder (scenarios/, seeds/, calibration/ ...)."""
    return ROOT


@pytest.fixture(scope="session")
def historical():
    """The compiled historical scenario (January 2024 - December 2026, Meta's stake)."""
    return compiled("historical.yaml")


@pytest.fixture(scope="session")
def chromium() -> tuple[Path, list[str]]:
    """Debian's chromium and its flags for this closed network (skips the test without it)."""
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed")
    return CHROMIUM, CHROMIUM_FLAGS


@pytest.fixture(scope="session")
def small_sweep(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, pd.DataFrame]:
    """The small sweep run once, uninterrupted, on one local worker: (sweep file, results)."""
    from labelmarket.model.execution.local import LocalEngine
    from labelmarket.model.experiments.sweep import plan_sweep, read_parts, run_sweep

    folder = tmp_path_factory.mktemp("small")
    path = write_sweep(folder)
    out = folder / "out"
    done, failed = run_sweep(plan_sweep(path), out, LocalEngine(1))
    assert (done, failed) == (18, 0)
    return path, read_parts(out)
