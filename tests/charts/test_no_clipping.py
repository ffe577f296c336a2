"""Every chart a reader sees: no text cut at the figure's edge, no layout warnings, and no
early spike allowed to squash the fit (the posterior-predictive panels trim their axis)."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from labelmarket.cli.main import main
from labelmarket.model.charts.events import merged_events
from labelmarket.model.results.run_folder import load_run
from tests.support import ROOT


def clipped_texts(fig: Figure) -> list[str]:
    """What is drawn outside the figure (cut in the PNG): the overflow on each side, in px.

    The figure's tight box holds every artist drawn (titles, labels, the ticks in view,
    legends, notes); where it passes the figure's edge, something is cut.
    """
    canvas = FigureCanvasAgg(fig)  # as `savefig` draws it
    canvas.draw()
    tight = fig.get_tightbbox(canvas.get_renderer()).transformed(fig.dpi_scale_trans)
    box = fig.bbox
    sides = {
        "left": box.x0 - tight.x0,
        "right": tight.x1 - box.x1,
        "bottom": box.y0 - tight.y0,
        "top": tight.y1 - box.y1,
    }
    return [f"{side} {px:.0f} px" for side, px in sides.items() if px > 1]


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


def test_comparison_charts_fit_and_name_events_in_the_legend(runs) -> None:
    from labelmarket.model.charts.compare import client_spend_figure, metric_figure
    from labelmarket.model.results.comparison import compare

    base, main_run = runs
    _, diffs, _ = compare([base, main_run], False)
    events = merged_events([base, main_run])
    for metric in ("revenue", "market_share", "workforce", "valuation"):
        fig = _strict(lambda m=metric: metric_figure(m, base, [main_run], diffs, events))
        assert _strict(lambda f=fig: clipped_texts(f)) == [], metric
        legend = [t.get_text() for t in fig.legends[0].get_texts()]
        assert any("2025-06: Meta takes 49% of Scale" in t for t in legend), legend
    fig = _strict(lambda: client_spend_figure(base, main_run, diffs, events))
    assert _strict(lambda: clipped_texts(fig)) == []


def test_defection_timeline_keeps_markers_of_the_last_month_inside(runs) -> None:
    from labelmarket.model.charts.defections import defection_timeline

    _, run = runs
    fig = _strict(
        lambda: defection_timeline(
            run.defections, run.vendors, run.clients, run.dates, merged_events([run]), 3
        )
    )
    assert _strict(lambda: clipped_texts(fig)) == []
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
    outcome = {"name": name, "unit": "months after start"}
    fig = _strict(lambda: heatmap(results, parameters, outcome))
    assert _strict(lambda: clipped_texts(fig)) == []
    label = fig.axes[-1].get_ylabel()
    assert "where it happens" in label  # runs where the client never leaves are not averaged


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
    for fig in (
        _strict(lambda: tradeoff_figure(found)),
        _strict(lambda: limits_figure(found, dict.fromkeys(names, "utility / ownership share"))),
        _strict(lambda: scatter_figure(x, hits, found)),
    ):
        assert _strict(lambda f=fig: clipped_texts(f)) == []


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
    assert _strict(lambda: clipped_texts(fig)) == []


def test_discovery_scatter_of_a_one_parameter_sweep() -> None:
    pytest.importorskip("ema_workbench", reason="the optional 'discovery' extra is not installed")
    from labelmarket.model.charts.discovery import scatter_figure
    from labelmarket.model.experiments.discovery import discover

    name = "clients.OpenAI.conflict_sensitivity"
    x = pd.DataFrame({name: np.repeat([0.0, 1, 2, 4, 6, 8, 12], 10)})
    results = x.assign(spend=np.where(x[name] > 3, -2e8, 0.0), error=None)
    found = discover(results, [name], "spend < -1e8", ["spend"])
    fig = _strict(lambda: scatter_figure(x, (results["spend"] < -1e8).to_numpy(), found))
    assert _strict(lambda: clipped_texts(fig)) == []
    assert fig.axes[0].get_xlabel() == name and len(fig.axes[0].patches) == 1  # the box's band
