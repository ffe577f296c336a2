"""The dashboard opened in Chromium as an analyst would: 1280 x 720, then 1400 and 900 px.

One server (`labelmarket dashboard historical.yaml`), one page for the layout, the step,
hover, text size and baseline checks, a second page for sessions and sliders. The times a
step and a baseline overlay take, click to redrawn chart, are printed (never asserted: the
machine is shared); screenshots are kept.
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator

import pytest

from tests.report.conftest import watch
from tests.support import HISTORICAL

VENDORS = ["Scale AI", "Surge AI", "Mercor", "Appen", "Turing"]
CHARTS = [".lm-share", ".lm-workforce", ".lm-allocation"]
SMALLEST_TEXT = """() => Math.min(...[...document.querySelectorAll('.lm-vega svg text')]
    .filter(t => t.textContent.trim()).map(t => parseFloat(getComputedStyle(t).fontSize)))"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`labelmarket dashboard historical.yaml` on a free port; yields its URL."""
    pytest.importorskip("solara", reason="the optional 'viz' extra is not installed")
    port = _free_port()
    env = {**os.environ, "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "labelmarket", "dashboard", str(HISTORICAL), "--port", str(port)],
        cwd=tmp_path_factory.mktemp("dashboard"),
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://localhost:{port}/"
    try:
        deadline = time.monotonic() + 90
        while True:
            assert proc.poll() is None, f"dashboard exited: {proc.stderr.read()}"
            try:
                urllib.request.urlopen(url, timeout=2).close()
                break
            except OSError:
                assert time.monotonic() < deadline, f"dashboard did not answer at {url}"
                time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def _open(browser, url: str, width: int, height: int):
    """A fresh context (its own session) on the dashboard, charts drawn; (page, problems)."""
    page = browser.new_context(viewport={"width": width, "height": height}).new_page()
    problems = watch(page)
    page.goto(url)
    page.get_by_role("button", name="Step").wait_for(timeout=60_000)
    page.locator(".lm-share [data-rows]").wait_for(timeout=30_000)
    return page, problems


def _rows(page, chart: str = ".lm-share") -> int:
    return int(page.locator(f"{chart} [data-rows]").get_attribute("data-rows"))


def _step(page) -> float:
    """Press Step; seconds until the step count and the share chart's data have changed."""
    before, rows = int(page.locator("span.lm-step").inner_text()), _rows(page)
    started = time.perf_counter()
    page.get_by_role("button", name="Step").click()
    page.locator("span.lm-step", has_text=str(before + 1)).wait_for(timeout=30_000)
    page.wait_for_function(
        "n => +document.querySelector('.lm-share [data-rows]').dataset.rows > n", arg=rows
    )
    return time.perf_counter() - started


def _baseline(page, name: str) -> float:
    """Choose a baseline; seconds until the share chart shows the new set of rows."""
    rows = _rows(page)
    page.locator(".lm-overlays .v-select").first.click()
    started = time.perf_counter()
    page.get_by_role("option", name=name, exact=True).click()
    page.wait_for_function(
        "n => +document.querySelector('.lm-share [data-rows]').dataset.rows != n", arg=rows
    )
    return time.perf_counter() - started


def _boxes(page) -> dict[str, dict]:
    return {s: page.locator(s).bounding_box() for s in [*CHARTS, ".lm-controls"]}


def _apart(a: dict, b: dict) -> bool:
    """Two boxes that do not overlap."""
    return (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


def test_dashboard_reads_at_a_glance(browser, server, tmp_path, capsys) -> None:
    page, problems = _open(browser, server, 1280, 720)
    assert page.title() == "labelmarket dashboard: historical"
    legend = page.locator(".lm-legend span").all_inner_texts()
    assert legend[:5] == VENDORS and {"historical", "no_deal"} <= set(legend)
    steps = [_step(page) for _ in range(8)]
    boxes = _boxes(page)  # 1280 x 720: every chart whole above the fold, nothing covering one
    assert all(b["y"] + b["height"] <= 720 and b["width"] >= 400 for b in map(boxes.get, CHARTS))
    assert all(_apart(boxes[c], boxes[".lm-controls"]) for c in CHARTS)
    page.screenshot(path=str(tmp_path / "dashboard_1280x720.png"))
    chart = page.locator(".lm-share svg").first.bounding_box()  # values on hover
    page.mouse.move(chart["x"] + chart["width"] * 0.6, chart["y"] + chart["height"] * 0.5)
    tip = page.locator("#vg-tooltip-element.visible")
    tip.wait_for(timeout=5_000)
    assert "vendor" in tip.inner_text() and any(ch.isdigit() for ch in tip.inner_text())
    smallest = page.evaluate(SMALLEST_TEXT)
    overlays = [_baseline(page, "none"), _baseline(page, "no_deal")]
    assert _rows(page) == 8 * len(VENDORS) * 2  # the scenario and its baseline, 8 months
    page.set_viewport_size({"width": 1400, "height": 900})
    page.screenshot(path=str(tmp_path / "dashboard_1400.png"))
    page.set_viewport_size({"width": 900, "height": 900})
    page.wait_for_timeout(300)
    page.screenshot(path=str(tmp_path / "dashboard_900.png"), full_page=True)
    boxes = _boxes(page)  # 900 px: charts one under another, the controls below them
    assert all(_apart(boxes[c], boxes[".lm-controls"]) for c in CHARTS)
    assert page.evaluate("document.documentElement.scrollWidth") <= 900
    assert smallest >= 11 and problems == []
    with capsys.disabled():
        print(
            f"\n[dashboard] click to redrawn chart: median step {statistics.median(steps[1:]):.3f}"
            f" s ({', '.join(f'{t:.2f}' for t in steps)}); baseline off/on "
            f"{overlays[0]:.2f} / {overlays[1]:.2f} s; smallest chart text {smallest:.0f} px; "
            f"load {os.getloadavg()[0]:.1f}; screenshots in {tmp_path}"
        )


def test_sessions_are_apart_and_a_slider_applies_at_once(browser, server) -> None:
    first, _ = _open(browser, server, 1400, 900)
    for _ in range(2):
        _step(first)
    second, _ = _open(browser, server, 1400, 900)
    assert second.locator("span.lm-step").inner_text() == "0"  # a new session starts afresh
    assert "2025-06 Meta takes 49% of Scale (to come)" in first.locator(".lm-events").inner_text()
    slider = first.get_by_role("slider").last  # the month of Meta's stake
    slider.focus()
    slider.press("Home")  # as a keyboard user can: the first month
    first.get_by_text("2024-01 Meta takes 49% of Scale (fired)").wait_for(timeout=30_000)
    assert first.locator("span.lm-step").inner_text() == "2"  # re-run to the month shown
    assert second.locator("span.lm-step").inner_text() == "0"
