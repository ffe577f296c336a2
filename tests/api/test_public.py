"""The Python API (`import labelmarket as lm`): the import stays cheap, and the numbers are
the command line's (the README's and docs/' examples run in tests/test_docs.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import labelmarket as lm
from tests.support import ROOT, run_cli


def test_importing_labelmarket_loads_nothing_heavy() -> None:
    code = (
        "import sys, labelmarket\n"
        "heavy = ('numpy', 'pandas', 'yaml', 'pydantic', 'mesa', 'matplotlib')\n"
        "print([m for m in heavy if m in sys.modules])"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == "[]"
    assert set(lm.__all__) == {"__version__", *lm._EXPORTS}
    assert set(lm.__all__) <= set(dir(lm))
    with pytest.raises(AttributeError):
        lm.no_such_name  # noqa: B018


def test_the_api_gives_the_command_lines_numbers(tmp_path: Path) -> None:
    proc = run_cli(
        ["run", "historical", "-n", "3", "-s", "7", "--no-charts", "-o", "cli"], tmp_path
    )
    assert proc.returncode == 0, proc.stderr
    results = lm.run("historical", replicates=3, seed=7, workers=1)
    cli = pd.read_csv(tmp_path / "cli" / "summary.csv")
    pd.testing.assert_frame_equal(results.summary, cli, check_dtype=False)
    folder = lm.read_run(tmp_path / "cli")
    assert folder.replicates == 3 and folder.seeds.tolist() == results.seeds.tolist()


def test_overrides_reach_the_scenario_and_bad_ones_are_input_errors() -> None:
    scenario = lm.load_scenario("historical", {"clients.Google.conflict_sensitivity": 2.5})
    google = next(c for c in scenario.clients if c.name == "Google")
    assert google.conflict_sensitivity == 2.5
    assert scenario.overrides == ("clients.Google.conflict_sensitivity=2.5",)
    assert scenario.name == "historical" and "Scale AI" in [v.name for v in scenario.vendors]
    as_strings = lm.load_scenario(ROOT / "scenarios" / "historical.yaml", ["market.budget_noise=0"])
    assert as_strings.market.budget_noise == 0
    with pytest.raises(lm.InputError, match="Gogle"):
        lm.load_scenario("historical", {"clients.Gogle.conflict_sensitivity": 1})
    with pytest.raises(lm.InputError, match="replicates"):
        lm.run(scenario, replicates=0)


def test_series_and_compare_accept_folders(tmp_path: Path) -> None:
    deal = lm.run("historical", replicates=2, seed=3, workers=1)
    with pytest.raises(lm.InputError, match="unknown metric"):
        deal.series("revenu", vendor="Scale AI")
    hhi = deal.series("hhi")
    assert hhi.shape == (36, 2) and ((hhi > 0) & (hhi <= 1)).all().all()
    folder = lm.save(deal, tmp_path / "deal", charts=False)
    no_deal = lm.run("no_deal", replicates=2, seed=3, workers=1)
    effect = lm.compare(no_deal, folder)
    assert all(effect.headline["paired"])
    assert "Scale AI 2026 revenue" in str(effect)
    with pytest.raises(lm.InputError, match="share no replicate seed"):
        lm.compare(no_deal, lm.run("historical", replicates=2, seed=4, workers=1))
