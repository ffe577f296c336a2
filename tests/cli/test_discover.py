"""`labelmarket discover` end to end: a synthetic sweep folder with a known region, a real
sweep, the section it adds to the sweep's report, and bad input (one message, exit code 2)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd
import pytest
import yaml

from labelmarket.cli.main import main
from tests.experiments.test_discovery import OUTCOME, PARAMETERS, synthetic_sweep
from tests.support import SCENARIOS, assert_bad_input, call_main

pytest.importorskip("ema_workbench", reason="the optional 'discovery' extra is not installed")


def synthetic_folder(folder: Path) -> Path:
    """A finished sweep folder (manifest and results) whose outcome has a known region."""
    folder.mkdir()
    results = synthetic_sweep(600)
    results.to_parquet(folder / "results.parquet", index=False)
    manifest = {
        "kind": "labelmarket sweep",
        "status": "complete",
        "sweep": {"name": "synthetic", "design": "lhs", "parameters": []},
        "design": "lhs",
        "points": 600,
        "replicates": 1,
        "runs": 600,
        "seed": 1,
        "parameters": [{"path": p, "unit": "utility", "allowed": [0, 10]} for p in PARAMETERS],
        "outcomes": [{"name": OUTCOME, "unit": "$", "metric": "revenue"}],
    }
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return folder


def test_discover_writes_the_box_tables_and_charts_of_a_known_region(tmp_path, capsys):
    folder = synthetic_folder(tmp_path / "sweep")
    code, out, err = call_main(["discover", str(folder), "--outcome", f"{OUTCOME} < -2e8"], capsys)
    assert code == 0, err
    assert "PRIM box" in out and "coverage" in out and "CART" in out
    found = folder / "discovery" / "revenue_2026_scale_ai_vs_baseline_2e8"
    names = {p.name for p in found.iterdir()}
    assert {"prim_trajectory.csv", "prim_box.csv", "cart_rules.csv", "discovery.json"} <= names
    assert {"prim_tradeoff.png", "prim_box.png", "prim_scatter.png"} <= names
    box = pd.read_csv(found / "prim_box.csv").set_index("parameter")
    assert box.loc[PARAMETERS[0], "low"] == pytest.approx(5, abs=0.5)
    assert box.loc[PARAMETERS[1], "high"] == pytest.approx(0.2, abs=0.03)
    assert not box.loc[PARAMETERS[2], "restricted"]
    record = json.loads((found / "discovery.json").read_text(encoding="utf-8"))
    assert record["box"]["density"] > 0.9 and record["box"]["coverage"] >= 0.8
    trajectory = pd.read_csv(found / "prim_trajectory.csv")
    assert trajectory["coverage"].is_monotonic_decreasing
    # The sweep's report shows the discovery: its box table and its three charts.
    assert main(["report", str(folder)]) == 0
    html = (folder / "report.html").read_text(encoding="utf-8")
    assert "Scenario discovery: where does it happen?</h2>" in html
    assert f"Where <code>{OUTCOME} &lt; -2e8</code>" in html
    assert html.count('class="discovery-box"') == 1 and "quasi-p-value" in html
    assert html.count("PRIM") >= 2 and 'class="discovery-cart"' in html


def test_discover_runs_on_a_real_sweep(tmp_path, capsys):
    sweep = {
        "name": "tiny_grid",
        "scenario": os.path.relpath(SCENARIOS / "historical.yaml", tmp_path),  # a sweep's rule
        "design": "grid",
        "parameters": [
            {"path": "clients.*.conflict_sensitivity", "range": [0, 8], "levels": 5},
            {"path": "market.founder_exposure", "range": [0, 0.5], "levels": 3},
        ],
        "replicates": 4,
        "seed": 3,
        "outcomes": [{"metric": "revenue", "vendor": "Scale AI", "year": 2026}],
    }
    path = tmp_path / "sweep.yaml"
    path.write_text(yaml.safe_dump(sweep), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["sweep", str(path), "--out", str(out), "--workers", "1", "--no-charts"]) == 0
    median = pd.read_parquet(out / "results.parquet")["revenue_2026[Scale AI]"].median()
    code, text, err = call_main(
        ["discover", str(out), "--outcome", f"revenue_2026[Scale AI] < {median:.6g}"], capsys
    )
    assert code == 0, err
    assert "holds in" in text and "<- chosen" in text
    assert len(list((out / "discovery").glob("*/prim_box.png"))) == 1


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["--outcome", "profit > 0"], ["names no outcome", OUTCOME]),
        (["--outcome", f"{OUTCOME} > 1e12"], ["holds in no run"]),
        (["--outcome", f"{OUTCOME} <"], ["cannot be read"]),
        (["--outcome", f"{OUTCOME} < 0", "--min-coverage", "0"], ["--min-coverage"]),
    ],
)
def test_discover_bad_input(tmp_path, capsys, args, fragments):
    folder = synthetic_folder(tmp_path / "sweep")
    code, _, err = call_main(["discover", str(folder), *args], capsys)
    assert_bad_input(code, err, *fragments)
    assert not (folder / "discovery").exists()


def test_discover_refuses_a_folder_that_is_not_a_sweep(tmp_path, capsys):
    code, _, err = call_main(["discover", str(tmp_path), "--outcome", "x > 0"], capsys)
    assert_bad_input(code, err, "no sweep manifest.json")
