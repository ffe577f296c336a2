"""Every shipped scenario and a small sweep give the numbers recorded in tests/snapshots/.

A guard for refactoring: moving code must not move a number. A deliberate change to the
model's rules changes these numbers too; regenerate them then with
`LABELMARKET_UPDATE_SNAPSHOTS=1 python -m pytest tests/test_snapshots.py` and say why in
the commit. Values are compared to 1e-9 relative, so a different CPU's last bits pass.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from labelmarket.cli import main
from tests.support import ROOT, SCENARIOS

SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"
UPDATE = os.environ.get("LABELMARKET_UPDATE_SNAPSHOTS") == "1"
SHIPPED = sorted(p.stem for p in SCENARIOS.glob("*.yaml"))


def check(frame: pd.DataFrame, name: str) -> None:
    """Compare a table with its snapshot (or write the snapshot when updating)."""
    path = SNAPSHOTS / f"{name}.csv"
    if UPDATE:
        frame.to_csv(path, index=False)
        return
    expected = pd.read_csv(path)
    actual = pd.read_csv(_roundtrip(frame))
    pd.testing.assert_frame_equal(actual, expected, check_exact=False, rtol=1e-9, atol=1e-6)


def _roundtrip(frame: pd.DataFrame):
    """The table as its CSV text would read back (same dtypes as the snapshot)."""
    from io import StringIO

    return StringIO(frame.to_csv(index=False))


@pytest.mark.parametrize("name", SHIPPED)
def test_scenario_numbers_match_the_snapshot(name: str, tmp_path: Path) -> None:
    """Two replicates, seed 7: summary and defections as recorded."""
    out = tmp_path / name
    args = ["run", str(SCENARIOS / f"{name}.yaml"), "-n", "2", "--seed", "7"]
    assert main([*args, "--workers", "1", "--no-charts", "--out", str(out)]) == 0
    check(pd.read_csv(out / "summary.csv"), f"run_{name}_summary")
    check(pd.read_csv(out / "defections.csv"), f"run_{name}_defections")


def test_sweep_numbers_match_the_snapshot(tmp_path: Path) -> None:
    """A 3 x 2 grid with 2 replicates of the historical scenario, as recorded."""
    sweep = tmp_path / "grid.yaml"
    sweep.write_text(
        f"""
name: snapshot_grid
scenario: {os.path.relpath(ROOT / "scenarios" / "historical.yaml", tmp_path)}
design: grid
parameters:
  - {{path: clients.*.conflict_sensitivity, range: [0, 8], levels: 3}}
  - {{path: market.founder_exposure, values: [0.0, 0.5]}}
replicates: 2
seed: 11
outcomes:
  - {{metric: revenue, vendor: Scale AI, year: 2026}}
  - {{metric: defections}}
  - {{metric: leave_month, client: Google, vendor: Scale AI}}
  - {{metric: crowd_share}}
""",
        encoding="utf-8",
    )
    out = tmp_path / "sweep"
    assert main(["sweep", str(sweep), "--workers", "1", "--no-charts", "--out", str(out)]) == 0
    results = pd.read_parquet(out / "results.parquet").drop(columns=["error"])
    check(results, "sweep_grid_results")
