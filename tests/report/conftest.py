"""The report every test reads, and one headless Chromium for the report's and the
dashboard's browser tests.

Starting Chromium costs about a second; the report's and the dashboard's browser tests
share this one (the dashboard's conftest imports it), each opening its own pages.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from labelmarket.cli.main import main
from tests.support import CHROMIUM, CHROMIUM_FLAGS, ROOT


@pytest.fixture(scope="session")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A historical run (with its charts) reported against the no-deal world, same seeds."""
    root = tmp_path_factory.mktemp("report")
    for name in ("historical", "no_deal"):
        args = ["run", str(ROOT / "scenarios" / f"{name}.yaml"), "-n", "4", "-s", "1", "-w", "1"]
        assert main([*args, "--out", str(root / name)]) == 0
    args = ["report", str(root / "historical"), "--compare", str(root / "no_deal")]
    assert main([*args, "--seeds", str(ROOT / "seeds")]) == 0
    return root / "historical" / "report.html"


_CHROMIUM: dict[str, object] = {}  # one Playwright and one browser per test process


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's chromium driven by Playwright (skips without either).

    The dashboard's conftest imports this fixture, so pytest holds two definitions of it;
    both hand out the one browser of the process (a second Playwright in the same thread
    would refuse to start), and the first to be torn down closes it at the session's end.
    """
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed")
    sync_api = pytest.importorskip("playwright.sync_api")
    if "browser" not in _CHROMIUM:
        playwright = sync_api.sync_playwright().start()
        _CHROMIUM["playwright"] = playwright
        _CHROMIUM["browser"] = playwright.chromium.launch(  # a loaded machine may be slow
            executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS, headless=True, timeout=120_000
        )
    yield _CHROMIUM["browser"]
    if "browser" in _CHROMIUM:
        _CHROMIUM.pop("browser").close()
        _CHROMIUM.pop("playwright").stop()


def watch(page) -> list[str]:
    """Collect what goes wrong on a page: console errors, page errors, failed requests."""
    problems: list[str] = []
    page.on("console", lambda m: m.type == "error" and problems.append(f"console: {m.text}"))
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"failed: {r.url}"))
    page.on("response", lambda r: r.status >= 400 and problems.append(f"{r.status}: {r.url}"))
    return problems
