"""Every chart a reader sees, read as a reader would: no text cut at the figure's edge,
none drawn over another, tick labels that read their ticks' values (no "+2 pp" three times,
no "+0 pp" beside "0 pp"), no type under 11 px, every marker shape explained in the legend,
no layout warnings, and no early spike allowed to squash the fit (the posterior-predictive
panels trim their axis)."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from labelmarket.cli.main import main
from labelmarket.model.charts.events import merged_events
from labelmarket.model.charts.layout import PT, WIDE
from labelmarket.model.charts.style import SMALLEST_PT
from labelmarket.model.results.run_folder import load_run
from tests.charts.checks import (
    MIN_TEXT_PX,
    clipped_texts,
    markers_missing_from_legend,
    misread_ticks,
    overlapping_texts,
    smallest_text_px,
)
from tests.support import ROOT

SMALLEST_PX = SMALLEST_PT * PT  # 13.2 px: 11 px still when a page shows a chart at 85%
assert SMALLEST_PX * 0.85 >= MIN_TEXT_PX


def problems(fig: Figure) -> dict[str, list]:
    """Everything a reader would trip on in one figure (empty lists: none)."""
    small = smallest_text_px(fig)
    return {
        "cut": clipped_texts(fig),
        "overlap": overlapping_texts(fig),
        "ticks": misread_ticks(fig),
        "small": [f"{small:.1f} px"] if small < SMALLEST_PX - 0.01 else [],
        "unexplained markers": markers_missing_from_legend(fig),
        "wider than the report": [] if fig.get_figwidth() * fig.dpi <= WIDE + 0.5 else ["wide"],
    }


def readable(fig: Figure) -> bool:
    """True when `problems` finds nothing."""
    return not any(problems(fig).values())


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory):
    """Two small runs of the same seeds: the historical world and the no-deal world."""
    root = tmp_path_factory.mktemp("runs")
    for name in ("historical", "no_deal"):
        args = ["run", str(ROOT / "scenarios" / f"{name}.yaml"), "-n", "3", "-s", "2", "-w", "1"]
        assert main([*args, "--out", str(root / name), "--no-charts"]) == 0
    return load_run(root / "no_deal"), load_run(root / "historical")


def _strict(draw):
    """Run draw() with every warning an error (matplotlib's layout warnings included)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return draw()


def _no_problems(fig: Figure) -> dict[str, list]:
    """`problems`, with any warning (matplotlib's layout warnings) an error."""
    return {k: v for k, v in _strict(lambda: problems(fig)).items() if v}


def test_run_charts_read_well(runs) -> None:
    from labelmarket.model.charts.events import run_events
    from labelmarket.model.charts.run import FIGURES
    from labelmarket.model.results.bands import bands_from_frame

    _, run = runs
    bands = bands_from_frame(run.timeseries, run.vendors)
    for name, draw in FIGURES.items():
        fig = _strict(lambda d=draw: d(bands, run.business_models, run_events(run)))
        assert _no_problems(fig) == {}, name


def test_comparison_charts_read_well_and_name_events_in_the_legend(runs) -> None:
    from labelmarket.model.charts.compare import client_spend_figure, metric_figure
    from labelmarket.model.results.comparison import compare

    base, main_run = runs
    _, diffs, _ = compare([base, main_run], False)
    events = merged_events([base, main_run])
    for metric in ("revenue", "market_share", "workforce", "valuation"):
        fig = _strict(lambda m=metric: metric_figure(m, base, [main_run], diffs, events))
        assert _no_problems(fig) == {}, metric
        legend = [t.get_text() for t in fig.legends[0].get_texts()]
        assert any("2025-06: Meta takes 49% of Scale" in t for t in legend), legend
    fig = _strict(lambda: client_spend_figure(base, main_run, diffs, events))
    assert _no_problems(fig) == {}


def test_first_screen_and_price_charts_read_well(runs) -> None:
    from labelmarket.model.charts.headline import bars_figure, path_figure
    from labelmarket.model.charts.prices import price_pay_figure
    from labelmarket.model.charts.style import metric_rows, quantiles

    base, run = runs
    events = merged_events([base, run])
    q = quantiles(metric_rows(run.timeseries, "revenue", "vendor"), ["vendor"])
    lines = [(v, q.xs(v, level="vendor"), "#E69F00", i > 0) for i, v in enumerate(run.vendors)]
    bars = pd.DataFrame(
        {"mid": [-38.0, 16, 9], "lo": [-41.0, 12, 6], "hi": [-34.0, 19, 15]},
        index=["Scale AI", "Surge AI", "Enterprise (no_deal)"],
    )
    for fig in (
        _strict(lambda: path_figure("Scale AI's monthly revenue", "$", lines[:2], events)),
        _strict(lambda: bars_figure("2026 revenue against no_deal", "%", bars, ["#000"] * 3)),
        _strict(lambda: price_pay_figure(run, base, events)),
    ):
        assert _no_problems(fig) == {}
    assert {ax.get_title(loc="left").split(",")[0] for ax in fig.axes} == {
        "Price",
        "Pay",
    }  # a panel per quantity and tier


def test_sensitivity_bars_read_well() -> None:
    from labelmarket.model.charts.sensitivity import sensitivity_bars

    names = ["clients.OpenAI.conflict_sensitivity", "market.founder_exposure", "clients.*.trend"]
    table = pd.DataFrame(
        {
            "outcome": "revenue_2026[Scale AI]",
            "parameter": names,
            "S1": [0.5, 0.2, 0.01],
            "S1_conf": [0.05, 0.04, 0.02],
            "ST": [0.6, 0.3, 0.02],
            "ST_conf": [0.06, 0.05, 0.02],
        }
    )
    outcome = {
        "name": "revenue_2026[Scale AI]",
        "unit": "$",
        "metric": "revenue",
        "vendor": "Scale AI",
        "year": 2026,
    }
    fig = _strict(lambda: sensitivity_bars(table, outcome))
    assert _no_problems(fig) == {}
    assert "Scale AI's 2026 revenue" in fig.texts[0].get_text()


def test_a_difference_axis_reads_each_tick_once() -> None:
    """Shares moving by a point or two: ticks every half point must say so (the old axis
    printed "+2 pp" three times and "+0 pp" beside "0 pp")."""
    from labelmarket.model.charts.compare import ticks
    from tests.charts.checks import misread_ticks

    fig = Figure()
    ax = fig.add_subplot()
    ax.plot([0, 1], [-0.4, 2.1])
    ax.yaxis.set_major_formatter(ticks("market_share", signed=True))
    assert misread_ticks(fig) == []
    labels = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
    assert "0 pp" in labels and "+0.5 pp" in labels and "+0 pp" not in labels, labels


def test_defection_timeline_explains_every_marker_and_keeps_the_last_month_inside(runs) -> None:
    from labelmarket.model.charts.defections import defection_timeline

    _, run = runs
    found = run.defections.copy()
    drivers = ["task mix", "scripted pause", "capacity", "price", "a driver added later"]
    extra = found.head(len(drivers)).assign(driver=drivers) if len(found) else found
    found = pd.concat([found, extra], ignore_index=True)
    fig = _strict(
        lambda: defection_timeline(
            found, run.vendors, run.clients, run.dates, merged_events([run]), 3
        )
    )
    assert _no_problems(fig) == {}
    legend = {t.get_text() for t in fig.legends[0].get_texts()}
    assert {f"driver: {d}" for d in set(found["driver"].astype(str))} <= legend
    last = pd.Timestamp(run.dates.max())
    ax = next(a for a in fig.axes if a.get_visible())
    right = pd.Timestamp(ax.xaxis.get_view_interval()[1] * 86400, unit="s")
    assert right > last  # a marker in the last month is drawn whole


def test_sweep_heatmap_colour_bar_label_fits() -> None:
    from labelmarket.model.charts.sweep import heatmap

    rng = np.random.default_rng(1)
    grid = [(a, b) for a in range(9) for b in np.linspace(0, 1.2, 7) for _ in range(2)]
    results = pd.DataFrame(grid, columns=["clients.*.conflict_sensitivity", "clients.*.trend"])
    name = "leave_month[Google->Scale AI]"
    results[name] = np.where(rng.random(len(results)) < 0.3, np.nan, rng.uniform(3, 30, len(grid)))
    results["error"] = None
    parameters = [
        {"path": "clients.*.conflict_sensitivity", "unit": "utility / ownership share"},
        {"path": "clients.*.trend", "unit": "log-odds / year"},
    ]
    outcome = {
        "name": name,
        "unit": "months after start",
        "metric": "leave_month",
        "client": "Google",
        "vendor": "Scale AI",
    }
    fig = _strict(lambda: heatmap(results, parameters, outcome))
    assert _no_problems(fig) == {}
    label = " ".join(fig.axes[-1].get_ylabel().split())
    assert "where it happens" in label  # runs where the client never leaves are not averaged
    assert "Month Google first leaves Scale AI" in fig.texts[0].get_text()  # words, not a column


def test_posterior_predictive_axis_is_trimmed_above_an_early_spike(tmp_path: Path) -> None:
    from labelmarket.calibration.charts import _trim

    class FakeTarget:  # what _trim reads of a target: value, tolerance, window, statistic
        observed, window = 0.5, (20, 22)
        spec = type("Spec", (), {"tolerance": 0.2, "statistic": "mean"})()

    fig = Figure()
    ax = fig.add_subplot()
    months = np.arange(36)
    hi = np.where(months < 3, 1000.0, 1.5)  # a spike of 1,000x baseline in the first months
    mid = np.where(months < 17, 1.0, 0.3)
    ax.fill_between(months, 0, hi)
    ax.plot(months, mid)
    _trim(ax, FakeTarget(), mid, hi)
    assert ax.get_ylim()[1] < 5  # the fit (around 0.3-1) fills the panel
    assert any("band cut" in t.get_text() for t in ax.texts)


def test_discovery_charts_fit_with_many_parameters(tmp_path: Path) -> None:
    pytest.importorskip("ema_workbench", reason="the optional 'discovery' extra is not installed")
    from labelmarket.model.charts.discovery import limits_figure, scatter_figure, tradeoff_figure
    from labelmarket.model.experiments.discovery import discover

    rng = np.random.default_rng(5)
    names = [f"clients.Client{i}.conflict_sensitivity" for i in range(12)]
    x = pd.DataFrame(rng.uniform(0, 8, (600, 12)), columns=names)
    results = x.assign(**{"defections_total": (x[names[0]] > 5) * 10.0, "error": None})
    found = discover(results, names, "defections_total > 5", ["defections_total"])
    hits = (results["defections_total"] > 5).to_numpy()
    trade = _strict(lambda: tradeoff_figure(found))
    for fig in (
        trade,
        _strict(lambda: limits_figure(found, dict.fromkeys(names, "utility / ownership share"))),
        _strict(lambda: scatter_figure(x, hits, found)),
    ):
        assert _no_problems(fig) == {}
    ax = trade.axes[0]
    assert ax.get_xlim()[0] >= 0 and ax.get_xlim()[1] <= 100 and ax.get_ylim() == (0, 100)
    assert len(trade.axes) == 1  # a count of parameters is named in the legend, not a colour bar


def test_response_curves_skip_grid_levels_without_a_value() -> None:
    """A client that never leaves at low conflict sensitivity: those levels have no value."""
    from labelmarket.model.charts.sweep import response_curves

    levels = np.repeat(np.arange(9.0), 4)
    name = "leave_month[Google->Scale AI]"
    results = pd.DataFrame({"clients.*.conflict_sensitivity": levels, "error": None})
    results[name] = np.where(levels < 2, np.nan, 18.0)
    parameters = [{"path": "clients.*.conflict_sensitivity", "unit": "utility"}]
    outcome = {"name": name, "unit": "months", "metric": "leave_month"}
    fig = _strict(lambda: response_curves(results, parameters, outcome, []))
    line = fig.axes[0].lines[0]
    assert list(line.get_xdata()) == list(np.arange(2.0, 9.0))
    assert _no_problems(fig) == {}


def test_discovery_scatter_of_a_one_parameter_sweep() -> None:
    pytest.importorskip("ema_workbench", reason="the optional 'discovery' extra is not installed")
    from labelmarket.model.charts.discovery import scatter_figure
    from labelmarket.model.experiments.discovery import discover

    name = "clients.OpenAI.conflict_sensitivity"
    x = pd.DataFrame({name: np.repeat([0.0, 1, 2, 4, 6, 8, 12], 10)})
    results = x.assign(spend=np.where(x[name] > 3, -2e8, 0.0), error=None)
    found = discover(results, [name], "spend < -1e8", ["spend"])
    fig = _strict(lambda: scatter_figure(x, (results["spend"] < -1e8).to_numpy(), found))
    assert _no_problems(fig) == {}
    assert fig.axes[0].get_xlabel() == name and len(fig.axes[0].patches) == 1  # the box's band
