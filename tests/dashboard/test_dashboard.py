"""The dashboard: its model is the CLI's model, its sliders reach it, and a browser can drive it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import numpy as np
import pytest

from labelmarket.dashboard.model import DashboardModel, slider_params
from labelmarket.model.drivers.mesa_model import MarketModel
from labelmarket.model.scenario.compile import compile_world
from labelmarket.model.scenario.files import load_scenario
from tests.support import CHROMIUM, ROOT
from tests.support import CHROMIUM_FLAGS as FLAGS

HISTORICAL = ROOT / "scenarios" / "historical.yaml"


def test_default_sliders_step_the_same_model_as_the_cli() -> None:
    scenario, _ = load_scenario(HISTORICAL)
    plain = MarketModel(world=compile_world(scenario), rng=1, collect=False)
    dash = DashboardModel(seed=1, scenario_file=str(HISTORICAL))
    for _ in range(20):
        plain.step()
        dash.step()
    assert np.array_equal(plain.last("revenue"), dash.last("revenue"))
    assert dash.history("workforce").shape == (20, len(scenario.vendors), 2)


@pytest.mark.filterwarnings("ignore:.*use_state.*found despite early return:UserWarning")
def test_sliders_reach_the_model() -> None:
    dash = DashboardModel(
        seed=1, scenario_file=str(HISTORICAL), labs_conflict_sensitivity=9.0, event_0=0
    )
    assert dash.spec.events[0].month == "2024-01"
    labs = [c for c in dash.spec.clients if c.segment == "lab"]
    assert all(c.conflict_sensitivity == 9.0 for c in labs)
    assert next(c for c in dash.spec.clients if c.segment != "lab").conflict_sensitivity == 0
    params = slider_params(HISTORICAL)
    assert params["event_0"].value == 17 and params["event_0"].max == 35
    pytest.importorskip("solara")
    from mesa.visualization.solara_viz import _check_model_params

    _check_model_params(DashboardModel.__init__, params)  # SolaraViz accepts every slider


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(url: str, server: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(
                f"dashboard exited: {server.stderr.read() if server.stderr else ''}"
            )
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"dashboard did not answer at {url}")


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed")
def test_browser_moves_a_slider_steps_and_sees_the_chart_change(tmp_path: Path) -> None:
    pytest.importorskip("solara", reason="the optional 'viz' extra is not installed")
    sync_api = pytest.importorskip("playwright.sync_api")
    port = _free_port()
    env = {**os.environ, "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False"}
    server = subprocess.Popen(
        [sys.executable, "-m", "labelmarket", "dashboard", str(HISTORICAL), "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_for(f"http://localhost:{port}/", server)
        with sync_api.sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS, headless=True)
            try:
                page = browser.new_page(viewport={"width": 1500, "height": 1100})
                page.goto(f"http://localhost:{port}/")
                _drive(page, tmp_path)
            finally:
                browser.close()
    finally:
        server.terminate()
        server.wait(timeout=20)


def _chart(page) -> str:
    """The market-share chart's image data (the first chart on the page)."""
    return page.locator("img").first.get_attribute("src") or ""


def _step(page, n: int) -> None:
    """Press Step and wait until the model reports step n."""
    page.get_by_role("button", name="Step").click()
    page.get_by_text(f"(step {n} of 36)").wait_for(timeout=30_000)  # our status line
    page.wait_for_timeout(400)  # let the charts' images arrive


def _drive(page, tmp_path: Path) -> None:
    page.get_by_role("button", name="Step").wait_for(timeout=60_000)
    page.locator("img").first.wait_for(timeout=30_000)
    before = _chart(page)
    _step(page, 1)
    _step(page, 2)
    after_two = _chart(page)
    assert after_two != before, "stepping did not redraw the chart"
    assert page.get_by_text("Meta takes 49% of Scale: 2025-06").count() == 1
    # Move the deal to the first month with the keyboard, as a user can, then Reset and step.
    slider = page.get_by_role("slider").last
    slider.focus()
    slider.press("Home")
    page.get_by_role("button", name="Reset").click()
    page.get_by_text("Meta takes 49% of Scale: 2024-01").wait_for(timeout=30_000)
    _step(page, 1)
    _step(page, 2)
    moved = _chart(page)
    page.screenshot(path=str(tmp_path / "dashboard.png"))
    assert moved != after_two, "moving the event slider did not change the chart"
