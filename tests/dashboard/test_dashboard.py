"""The dashboard: its model is the CLI's model, its controls reach it, and in Chromium it is
usable: one market per session, values and units shown, real charts at step 0, a step under
half a second, the width used, readable fonts, a title, nothing fetched that fails offline."""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator

import numpy as np
import pytest

from labelmarket.dashboard.model import DashboardModel, controls
from labelmarket.model.drivers.mesa_model import MarketModel
from labelmarket.model.scenario.compile import compile_world
from labelmarket.model.scenario.files import load_scenario
from tests.support import CHROMIUM, ROOT
from tests.support import CHROMIUM_FLAGS as FLAGS

HISTORICAL = ROOT / "scenarios" / "historical.yaml"
VENDORS = ["Scale AI", "Surge AI", "Mercor", "Appen", "Turing"]
STEP_BUDGET_S = 0.5  # the target for one month, click to new charts


def test_default_controls_step_the_same_model_as_the_cli() -> None:
    scenario, _ = load_scenario(HISTORICAL)
    plain = MarketModel(world=compile_world(scenario), rng=1, collect=False)
    dash = DashboardModel(seed=1, scenario_file=str(HISTORICAL))
    for _ in range(20):
        plain.step()
        dash.step()
    assert np.array_equal(plain.last("revenue"), dash.last("revenue"))
    assert dash.history("workforce").shape == (20, len(scenario.vendors), 2)


def test_controls_reach_the_model_and_say_their_units() -> None:
    dash = DashboardModel(
        seed=1, scenario_file=str(HISTORICAL), labs_conflict_sensitivity=9.0, event_0=0
    )
    assert dash.spec.events[0].month == "2024-01"
    labs = [c for c in dash.spec.clients if c.segment == "lab"]
    assert all(c.conflict_sensitivity == 9.0 for c in labs)
    assert next(c for c in dash.spec.clients if c.segment != "lab").conflict_sensitivity == 0
    by_name = {c.name: c for c in controls(HISTORICAL)}
    event = by_name["event_0"]
    assert (event.value, event.high, event.shown(17)) == (17, 35, "2025-06")
    conflict = by_name["labs_conflict_sensitivity"]
    assert conflict.shown(4) == "4.00 utility / ownership share" and "rivals" in conflict.meaning


def test_charts_are_sensible_before_the_first_month_and_fast_after() -> None:
    from labelmarket.dashboard.app import Session

    session = Session(HISTORICAL)
    assert set(session.images) == {"market share", "workforce", "allocation"}
    assert all(png.startswith(b"\x89PNG") for png in session.images.values())
    workforce = session.charts.charts["workforce"]
    low, high = workforce.ax.get_ylim()
    scale = next(v for v in session.model.spec.vendors if v.name == "Scale AI").workforce
    start = (scale.generalist + scale.expert) / 1e3  # the largest vendor, in thousands
    assert low == 0 and start < high < 3 * start  # a real axis, not 0-0.05
    allocation = session.charts.charts["allocation"]
    totals = [t.get_text() for t in allocation.totals]  # each client's starting budget
    assert len(totals) == 7 and all(t.startswith("$") and t != "$0" for t in totals)
    times = []
    for _ in range(12):
        session.step()
        times.append(session.timing["model"] + session.timing["charts"])
    assert statistics.median(times) < STEP_BUDGET_S / 2, times


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`labelmarket dashboard historical.yaml` on a free port; yields its URL."""
    pytest.importorskip("solara", reason="the optional 'viz' extra is not installed")
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed")
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
        _wait_for(url, proc)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def _wait_for(url: str, server: subprocess.Popen, seconds: float = 90) -> None:
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


@pytest.fixture(scope="module")
def browser(server: str):
    """Debian's chromium driven by Playwright."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


def _open(browser, url: str, failures: list | None = None):
    """A fresh browser context (its own cookies: a new session) on the dashboard."""
    page = browser.new_context(viewport={"width": 1500, "height": 1000}).new_page()
    if failures is not None:
        page.on("requestfailed", lambda r: failures.append(f"failed: {r.url}"))
        page.on("response", lambda r: r.status >= 400 and failures.append(f"{r.status}: {r.url}"))
    page.goto(url)
    page.get_by_role("button", name="Step").wait_for(timeout=60_000)
    page.locator("img.lm-market-share").wait_for(timeout=30_000)
    return page


def _step_shown(page) -> int:
    return int(page.locator("span.lm-step").inner_text())


def _step(page) -> float:
    """Press Step; seconds until the step count and the market-share chart have changed."""
    before = _step_shown(page)
    src = page.locator("img.lm-market-share").get_attribute("src")
    started = time.perf_counter()
    page.get_by_role("button", name="Step").click()
    page.locator("span.lm-step", has_text=str(before + 1)).wait_for(timeout=30_000)
    page.wait_for_function(
        "s => document.querySelector('img.lm-market-share').src !== s", arg=src, timeout=30_000
    )
    return time.perf_counter() - started


def test_page_at_step_zero_is_titled_labelled_readable_and_offline(browser, server, tmp_path):
    failures: list[str] = []
    page = _open(browser, server, failures)
    page.wait_for_timeout(1000)  # let late requests (fonts, styles) arrive or fail
    page.screenshot(path=str(tmp_path / "dashboard_step0.png"))
    assert page.title() == "labelmarket dashboard: historical"
    assert not page.get_by_text("Page 0", exact=True).count()
    assert failures == [], failures  # nothing fetched that fails without a network
    assert _step_shown(page) == 0
    # One legend entry per vendor, once each.
    assert page.locator(".lm-legend span").all_inner_texts() == VENDORS
    # Control values with their units and meanings, written out.
    text = page.locator(".v-navigation-drawer").inner_text()
    for shown in ("4.00 utility / ownership share", "0.25 ownership share", "2025-06"):
        assert shown in text, shown
    assert "Moving a slider re-runs the market" in text
    # The charts fill the width: two side by side, together most of the main area.
    share = page.locator("img.lm-market-share").bounding_box()
    workforce = page.locator("img.lm-workforce").bounding_box()
    drawer = page.locator(".v-navigation-drawer").bounding_box()
    main_width = 1500 - (drawer["x"] + drawer["width"])  # the page beside the sidebar
    assert workforce["x"] > share["x"] + share["width"] * 0.9
    assert share["width"] + workforce["width"] > 0.75 * main_width
    assert share["width"] >= 500  # drawn about 1:1, so the chart's fonts read at 11-13 px
    size = page.locator(".lm-status").evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert size >= 15


def test_a_step_takes_under_half_a_second(browser, server, capsys):
    """Click to new charts, in the browser, logged; the budget holds on a machine whose cores
    are free, and stretches by the load when other processes hold them (logged too)."""
    page = _open(browser, server)
    load = os.getloadavg()[0]
    times = [_step(page) for _ in range(8)]
    load = max(load, os.getloadavg()[0]) / (os.cpu_count() or 1)
    server_side = float(page.locator(".lm-step-time").inner_text())
    median = statistics.median(times[1:])  # the first step warms the connection
    budget = STEP_BUDGET_S * max(1.0, load)
    with capsys.disabled():
        print(
            f"\n[dashboard] historical.yaml: median {median:.3f} s per step, click to new charts "
            f"(8 steps: {', '.join(f'{t:.2f}' for t in times)}); server {server_side:.2f} s; "
            f"load {load:.1f} per core, budget {budget:.2f} s"
        )
    assert median < budget


def test_two_sessions_do_not_share_a_market(browser, server):
    first = _open(browser, server)
    for _ in range(3):
        _step(first)
    second = _open(browser, server)
    assert _step_shown(second) == 0  # a fresh page starts at the beginning, not at step 3
    _step(second)
    assert _step_shown(second) == 1
    first.reload()
    first.get_by_role("button", name="Step").wait_for(timeout=60_000)
    assert _step_shown(first) == 0  # a reload is a new session too
    assert _step_shown(second) == 1


def test_moving_a_slider_applies_at_once(browser, server, tmp_path):
    page = _open(browser, server)
    for _ in range(2):
        _step(page)
    before = page.locator("img.lm-market-share").get_attribute("src")
    assert page.get_by_text("2025-06 Meta takes 49% of Scale (to come)").count() == 1
    slider = page.get_by_role("slider").last  # the month of Meta's stake
    slider.focus()
    slider.press("Home")  # as a keyboard user can: the first month
    page.get_by_text("2024-01 Meta takes 49% of Scale (fired)").wait_for(timeout=30_000)
    assert _step_shown(page) == 2  # re-run to the month shown, not back to the start
    page.wait_for_function(
        "s => document.querySelector('img.lm-market-share').src !== s", arg=before
    )
    page.screenshot(path=str(tmp_path / "dashboard_moved.png"))
