"""The chart writer renders every chart of a real (small) run, with stable vendor colours."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from labelmarket.model.charts.defections import defection_counts, defection_timeline
from labelmarket.model.charts.run import write_charts
from labelmarket.model.charts.style import format_money, vendor_colours
from labelmarket.model.execution.local import LocalEngine
from labelmarket.model.execution.replicates import run_replicates
from labelmarket.model.execution.seeds import replicate_seeds
from labelmarket.model.results import tables as outputs
from labelmarket.model.results.metrics import month_dates
from labelmarket.model.results.run import business_model_members
from labelmarket.model.scenario.compile import compile_world
from labelmarket.model.scenario.loading import load_scenario
from tests.support import ROOT

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
EXPECTED = (
    "market_share.png",
    "business_models.png",
    "client_spend.png",
    "largest_vendor.png",
)


@pytest.fixture(scope="module")
def historical_run() -> tuple[pd.DataFrame, list[str], dict, list[tuple[pd.Timestamp, str]]]:
    """Three replicates of the historical scenario, as the CLI would hand them to the charts."""
    scenario = load_scenario(ROOT / "scenarios" / "historical.yaml")
    world = compile_world(scenario)
    result = run_replicates(world, replicate_seeds(1, 3), LocalEngine(1))
    ts = outputs.timeseries(result, world, scenario.start)
    vendors = list(world.vendors)
    models = business_model_members([(v.name, v.model) for v in scenario.vendors])
    events = [(pd.Timestamp(e.month), e.label) for e in scenario.events]
    return ts, vendors, models, events


def test_write_charts_writes_four_valid_pngs(historical_run, tmp_path: Path) -> None:
    ts, vendors, models, events = historical_run
    paths = write_charts(ts, vendors, models, events, tmp_path)
    assert [p.name for p in paths] == list(EXPECTED)
    for path in paths:
        assert path.parent == tmp_path and path.is_file()
        data = path.read_bytes()
        assert data[:8] == PNG_MAGIC, path.name
        assert len(data) > 20_000, f"{path.name} is suspiciously small ({len(data)} bytes)"


def test_vendor_colours_distinct_and_stable() -> None:
    vendors = ["Scale AI", "Surge AI", "Mercor", "Appen", "Turing"]
    colours = vendor_colours(vendors)
    assert list(colours) == vendors
    assert len(set(colours.values())) == len(vendors)
    assert vendor_colours(list(vendors)) == colours  # same order, same colours
    # A colour belongs to a position: adding a vendor at the end leaves the others alone.
    assert {v: c for v, c in vendor_colours([*vendors, "New"]).items() if v != "New"} == colours
    many = [f"vendor {i}" for i in range(40)]
    assert len(set(vendor_colours(many).values())) == len(many)


def test_write_charts_without_members_or_labels(historical_run, tmp_path: Path) -> None:
    """No vendor of any business model still yields every file; an empty event label draws a
    bare line."""
    ts, vendors, _, events = historical_run
    bare = [(when, "") for when, _ in events]
    paths = write_charts(ts, vendors, {}, bare, tmp_path)
    assert [p.name for p in paths] == list(EXPECTED)
    assert all(p.read_bytes()[:8] == PNG_MAGIC for p in paths)


def test_money_labels_read_as_millions_and_billions() -> None:
    assert [format_money(v) for v in (0, 950, 2e6, 110e6, 1.5e9, 14.3e9)] == [
        "$0",
        "$950",
        "$2M",
        "$110M",
        "$1.5B",
        "$14.3B",
    ]
    assert format_money(-5e6, signed=True) == "-$5M" and format_money(5e6, signed=True) == "+$5M"


def test_defection_timeline_marks_each_client(historical_run, tmp_path: Path) -> None:
    """One panel per client, a marker per (vendor, month, driver) seen in the run."""
    _, vendors, _, events = historical_run
    scenario = load_scenario(ROOT / "scenarios" / "historical.yaml")
    world = compile_world(scenario)
    result = run_replicates(world, replicate_seeds(1, 3), LocalEngine(1))
    found = outputs.defections(result, world, scenario.start)
    dates = month_dates(scenario.start, world.months)
    fig = defection_timeline(found, vendors, list(world.clients), dates, events, 3)
    panels = [ax for ax in fig.axes if ax.get_visible()]
    assert len(panels) == len(world.clients)
    markers = sum(len(c.get_offsets()) for ax in panels for c in ax.collections)
    assert markers == len(defection_counts(found)) > 0
    fig.savefig(tmp_path / "t.png")
    assert (tmp_path / "t.png").read_bytes()[:8] == PNG_MAGIC
