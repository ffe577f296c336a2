"""The first run after an install says it is compiling the rules; later runs do not."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from labelmarket.model.core import compiled
from labelmarket.model.drivers.batched import run_batch
from labelmarket.model.drivers.mesa_model import load_world
from labelmarket.model.execution.launch import make_engine


@pytest.fixture
def cold(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """An install whose rules were never marked compiled (a marker in a fresh folder)."""
    marker = tmp_path / "cache" / "compiled-marker"
    monkeypatch.setattr(compiled, "_marker", lambda: [marker])
    monkeypatch.setattr(compiled, "_WARM", [])
    return marker


def test_the_first_engine_says_the_rules_compile_and_a_run_marks_them(
    cold: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Cold: the notice is logged; after one run the marker exists and the notice is gone."""
    with caplog.at_level(logging.INFO, logger="labelmarket"):
        make_engine(1).close()
    assert "compiling the model's rules" in caplog.text
    run_batch(load_world("no_deal"), [1], months=1)
    assert cold.exists()
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="labelmarket"):
        make_engine(1).close()
    assert "compiling" not in caplog.text
