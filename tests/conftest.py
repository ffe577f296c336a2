"""Fixtures every test package shares: the project root, small worlds, a browser."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import CHROMIUM, CHROMIUM_FLAGS, ROOT, compiled


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
