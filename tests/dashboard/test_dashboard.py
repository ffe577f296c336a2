"""The dashboard without a browser: its model is `run`'s replicate 0, its controls reach it,
its baseline shares the scenario's shocks, its charts are Vega-Lite specs with values on
hover whose front-end files ship with solara-assets, and its command refuses a sweep file
and a busy port with one line (exit 2). `test_dashboard_in_chromium.py` opens the page."""

from __future__ import annotations

import socket
import statistics

import numpy as np
import pytest

from labelmarket.dashboard.model import DashboardModel, controls
from labelmarket.model.drivers.batched import run_batch
from labelmarket.model.execution.seeds import replicate_seeds
from labelmarket.model.scenario.compile import compile_world
from labelmarket.model.scenario.loading import load_scenario
from tests.support import HISTORICAL, NO_DEAL, SCENARIOS, assert_bad_input, call_main


@pytest.mark.parametrize("seed", [1, 7])
def test_seed_is_replicate_zero_of_run_with_that_seed(seed: int) -> None:
    """`dashboard` with seed S steps the replicate 0 that `run --seed S` writes."""
    scenario = load_scenario(HISTORICAL)
    run = run_batch(compile_world(scenario), replicate_seeds(seed, 3), months=20)
    dash = DashboardModel(seed=seed, scenario_file=str(HISTORICAL))
    for _ in range(20):
        dash.step()
    assert np.array_equal(dash.history("revenue"), run.history["revenue"][:, 0])
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
    assert "--seed" in by_name["seed"].meaning


@pytest.fixture(scope="module")
def session():
    """A session on historical.yaml with the no-deal baseline and a 20-replicate band."""
    pytest.importorskip("solara")  # the viz extra: the page's modules import it
    from labelmarket.dashboard.session import Session, default_baseline

    assert default_baseline(HISTORICAL) == NO_DEAL.resolve() or default_baseline(HISTORICAL)
    return Session(HISTORICAL, default_baseline(HISTORICAL), band=20)


def test_baseline_shares_the_scenarios_shocks_until_the_deal(session, capsys) -> None:
    """Same seeds in both worlds: identical until the stake (June 2025), apart after."""
    times = []
    for _ in range(24):
        session.step()
        times.append(session.timing["model"] + session.timing["charts"])
    rows = session.rows["share"]
    value = {(r["run"], r["vendor"], r["date"]): r["value"] for r in rows}
    scale = [
        (value[("historical", "Scale AI", d)], value[("no_deal", "Scale AI", d)])
        for d in sorted({r["date"] for r in rows})
    ]
    assert all(a == b for a, b in scale[:17])  # January 2024 - May 2025
    assert scale[-1][0] < scale[-1][1]  # the stake costs Scale share
    assert all(r["lo"] <= r["hi"] for r in rows)  # each with its 5-95% band
    labels = [r["row"] for r in session.rows["allocation"]]
    assert "Google" in labels and "Google (no_deal)" in labels
    assert all(r["total"].endswith("/mo") for r in session.rows["allocation"])
    with capsys.disabled():
        print(
            f"\n[dashboard] server side per step: median {statistics.median(times):.4f} s; "
            f"baseline and band (20 replicates each): {session.timing['overlay']:.2f} s"
        )


def test_overlays_change_without_touching_the_scenario(session) -> None:
    shown = session.model.months_stepped
    session.overlay(None, 0)
    assert {r["run"] for r in session.rows["share"]} == {"historical"}
    assert "lo" not in session.rows["share"][0]
    session.overlay(SCENARIOS / "scale_quality_shock.yaml", 100)
    assert {r["run"] for r in session.rows["share"]} == {"historical", "scale_quality_shock"}
    assert session.model.months_stepped == shown  # the scenario was not re-run


def test_charts_are_vega_lite_with_hover_and_fitted_axes_served_offline(session) -> None:
    from labelmarket.dashboard.vega import ASSETS, TEMPLATE

    share = session.specs["share"]
    assert share["$schema"].endswith("/v5.json")  # what solara-assets' vega-lite 5.2 reads
    layers = {layer["mark"]["type"]: layer for layer in share["layer"]}
    assert layers["line"]["encoding"]["y"]["scale"]["zero"] is False  # fitted to the data
    assert {t["field"] for t in layers["point"]["encoding"]["tooltip"]} >= {"vendor", "value"}
    assert session.specs["allocation"]["layer"][0]["encoding"]["tooltip"]
    from solara.server import settings

    cdn = settings.assets.proxy_cache_dir
    for asset in ASSETS:
        assert asset in TEMPLATE and (cdn / asset).is_dir(), asset  # nothing from a CDN


def test_a_sweep_file_is_named_as_such(capsys) -> None:
    for given in ("openai_stance", str(SCENARIOS / "sweeps" / "openai_stance.yaml")):
        code, _, err = call_main(["dashboard", given], capsys)
        assert_bad_input(code, err, "is a sweep file", "labelmarket sweep")
        assert len(err.strip().splitlines()) == 1, err


def test_a_busy_port_is_refused_before_the_server_starts(capsys) -> None:
    pytest.importorskip("solara")
    with socket.socket() as busy:
        busy.bind(("localhost", 0))
        busy.listen()
        port = busy.getsockname()[1]
        code, _, err = call_main(["dashboard", "historical", "--port", str(port)], capsys)
    assert_bad_input(code, err, f"--port {port}", "already in use", "--port 0")
    assert len(err.strip().splitlines()) == 1, err
