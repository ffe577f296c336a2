"""The interpretation check: each reading refitted weaker and stronger, and what it changes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from labelmarket.calibration import interpretations as it
from labelmarket.calibration.pipeline import Inputs, load_problem
from labelmarket.cli.main import main
from tests.support import ROOT


@pytest.fixture(scope="module")
def problem():
    """The shipped inputs, loaded and checked."""
    return load_problem(Inputs())


def test_a_reading_moves_all_its_targets_and_nothing_else(problem) -> None:
    """The three 'cut within three months' targets move together to their alternatives."""
    named = it.groups(problem.targets)
    assert [t.id for t in named["cut_within_three_months"]] == [
        "google_cuts_scale_after_stake",
        "openai_cuts_scale_after_stake",
        "xai_cuts_scale_after_stake",
    ]
    stronger = it.variant(problem, "cut_within_three_months", 1)
    for before, after in zip(problem.targets, stronger.targets, strict=True):
        moved = before.spec.interpretation == "cut_within_three_months"
        assert after.observed == (0.25 if moved else before.observed)
    assert stronger.checks == problem.checks and stronger.held == problem.held


def _outcome(label: str, medians: list[float]) -> it.Outcome:
    answers = pd.DataFrame(
        {
            "answer": ["a", "b"],
            "question": ["A", "B"],
            "median_pct": medians,
            "p5_pct": [m - 10 for m in medians],
            "p95_pct": [m + 10 for m in medians],
        }
    )
    table = pd.DataFrame({"target": ["t"], "role": ["fit"], "pass": [True]})
    return it.Outcome(label, "", table, answers, np.zeros(1), 0, 1.0)


def test_an_answer_survives_only_if_no_reading_moves_it_out_of_the_base_interval() -> None:
    """Inside the base 90% interval and on the same side of zero: survives; else named."""
    base = _outcome("base", [-40.0, 5.0])
    kept = it.survival(
        base, [_outcome("r1 weaker", [-45.0, 8.0]), _outcome("r1 stronger", [-31.0, -2.0])]
    )
    assert list(kept["survives"]) == [True, False]
    assert kept.loc[1, "moved_by"] == "r1 stronger"  # crossed zero, though inside the interval
    assert (kept.loc[0, "refit_min_pct"], kept.loc[0, "refit_max_pct"]) == (-45.0, -31.0)


def test_an_answer_resting_on_a_prior_dominated_parameter_says_so() -> None:
    """A survivor whose parameter the fit left to its prior is labelled so, in the table and
    in the closing count; one resting on an informed parameter is not."""
    base = _outcome("base", [-40.0, 5.0])
    base.answers["rests_on"] = ["clients.A.conflict_sensitivity", "clients.B.conflict_sensitivity"]
    kept = it.survival(
        base, [_outcome("r1 weaker", [-41.0, 6.0])], frozenset({"clients.A.conflict_sensitivity"})
    )
    assert list(kept["from_prior"]) == ["clients.A.conflict_sensitivity", ""]
    text = it.markdown(pd.DataFrame(), kept, 100, 1)
    assert "| yes, but from its prior (clients.A.conflict_sensitivity is prior-dominated) |" in text
    assert "2 of 2 headline answers survive" in text and "1 of them rest on a parameter" in text


def test_interpretations_refit_and_write_the_tables(tmp_path: Path) -> None:
    """`calibrate --interpretations`: a base fit, a weaker and a stronger refit per reading,
    the sensitivity table and the survival table (one reading, two parameters, tiny budget)."""
    targets = yaml.safe_load((ROOT / "calibration" / "targets.yaml").read_text())
    keep = {"google_spend_at_scale_2025_plan", "google_cuts_scale_after_stake"}
    targets["targets"] = [t for t in targets["targets"] if t["id"] in keep]
    priors = yaml.safe_load((ROOT / "calibration" / "parameters.yaml").read_text())
    two = {"clients.Google.conflict_sensitivity", "clients.Google.budget"}
    priors["parameters"] = [p for p in priors["parameters"] if p["path"] in two]
    priors["abc"]["quick"].update(population=20, initial_factor=2, predictive_draws=10)
    files = []
    for name, data in (("t.yaml", targets), ("p.yaml", priors)):
        (tmp_path / name).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        files.append(str(tmp_path / name))
    out = tmp_path / "out"
    args = ["calibrate", "--quick", "--budget", "100", "--seed", "3", "--workers", "1"]
    args += ["--no-charts", "--interpretations", "--targets", files[0], "--parameters", files[1]]
    assert main([*args, "--out", str(out)]) == 0
    rows = pd.read_csv(out / "interpretations.csv")
    assert list(rows["reading"]) == [
        "cut_within_three_months weaker",
        "cut_within_three_months stronger",
    ]
    assert "google_cuts_scale_after_stake <= 0.25 vs no stake" in rows.loc[1, "numbers"]
    kept = pd.read_csv(out / "survival.csv")
    assert "scale_revenue_2025" in set(kept["answer"]) and kept["survives"].dtype == bool
    assert sorted(p.name for p in out.glob("interpretation-*")) == [
        "interpretation-cut_within_three_months-stronger",
        "interpretation-cut_within_three_months-weaker",
    ]
    assert (
        "headline answers survive every interpretation" in (out / "interpretations.md").read_text()
    )
    assert "## What the conclusions rest on" in (out / "fit_report.md").read_text()
