"""`labelmarket calibrate` end to end: outputs, resume, hold-out, and bad input (exit 2)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from labelmarket.cli.main import main
from labelmarket.model.results.posterior import read_sample
from labelmarket.model.scenario.loading import load_scenario
from tests.support import ROOT

OUTPUTS = {
    "posterior.parquet",
    "fit_table.csv",
    "fit_table.md",
    "fit_report.md",
    "identifiability.csv",
    "calibrated.yaml",
    "calibrated.posterior.parquet",
    "headline_answers.csv",
    "manifest.json",
    "checkpoint.npz",
    "charts",
}
SMALL = ["--budget", "4000", "--workers", "2", "--seed", "4"]
FOUR = {  # a few parameters keep the chart-drawing run fast
    "clients.Google.conflict_sensitivity",
    "clients.*.budget",
    "clients.*.expert_trend",
    "vendors.*.hiring_rate.*",
}


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One small calibration (four parameters) with charts, shared by the output tests."""
    out = tmp_path_factory.mktemp("cal") / "out"
    priors = yaml.safe_load((ROOT / "calibration" / "parameters.yaml").read_text())
    priors["parameters"] = [p for p in priors["parameters"] if p["path"] in FOUR]
    params = _bad(out.parent, "parameters.yaml", priors)
    scenario = out.parent / "scenarios" / "calibrated.yaml"
    args = ["--out", str(out), "--scenario-out", str(scenario), "--parameters", str(params)]
    assert main(["calibrate", "--quick", *SMALL, *args]) == 0
    return out


def test_outputs_are_complete(quick_run: Path) -> None:
    """Posterior, fit table (Markdown and CSV), report, charts, scenario and manifest exist."""
    assert {p.name for p in quick_run.iterdir()} == OUTPUTS
    charts = {p.name for p in (quick_run / "charts").iterdir()}
    assert charts == {"posterior_marginals.png", "posterior_pairs.png", "posterior_predictive.png"}
    table = pd.read_csv(quick_run / "fit_table.csv")
    assert {
        "target",
        "facts",
        "observed",
        "simulated_median",
        "simulated_p5",
        "simulated_p95",
        "pass",
    } <= set(table)
    assert (table["simulated_p5"] <= table["simulated_median"]).all()
    assert (table["simulated_median"] <= table["simulated_p95"]).all()
    report = (quick_run / "fit_report.md").read_text()
    manifest = json.loads((quick_run / "manifest.json").read_text())
    assert 0 < manifest["simulations_fit"] <= 4000
    assert f"{manifest['simulations_fit']:,} for the fit" in report and "wall time" in report
    assert "Not pinned down by the facts" in report
    assert "Posterior-predictive coverage >= 80%" in report and "## Headline answers" in report
    assert "| google_cuts_scale_after_stake | fit, vs no stake | interpretation |" in report
    assert set(table["role"]) == {"fit", "check"} and table["coverage"].between(0, 1).all()
    answers = pd.read_csv(quick_run / "headline_answers.csv")
    assert {"scale_revenue_2025", "cut_google", "expert_vendors_gain"} <= set(answers["answer"])


def test_calibrated_scenario_holds_the_posterior_medians(quick_run: Path) -> None:
    """calibrated.yaml extends historical.yaml, loads, and sets the weighted posterior medians."""
    from labelmarket.calibration.abc_smc import weighted_quantile

    path = quick_run.parent / "scenarios" / "calibrated.yaml"
    raw = yaml.safe_load(path.read_text())
    assert raw["extends"].endswith("historical.yaml")
    first = path.read_text().splitlines()[0]  # editors find the schema from wherever it is
    assert first.startswith("# yaml-language-server: $schema=")
    schema = (path.parent / first.split("=", 1)[1]).resolve()
    assert schema == ROOT / "scenarios" / "scenario.schema.json"
    scenario = load_scenario(path)
    post = pd.read_parquet(quick_run / "posterior.parquet")
    last = post[post["generation"] == post["generation"].max()]
    median = weighted_quantile(
        last["clients.Google.conflict_sensitivity"].to_numpy(), last["weight"].to_numpy(), 0.5
    )
    assert scenario.clients[0].conflict_sensitivity == float(f"{median:.4g}")  # Google's own
    assert scenario.clients[1].conflict_sensitivity == base_lab_conflict()
    base = load_scenario(ROOT / "scenarios" / "historical.yaml")
    factor = weighted_quantile(last["clients.*.budget"].to_numpy(), last["weight"].to_numpy(), 0.5)
    assert scenario.clients[0].budget == pytest.approx(base.clients[0].budget * factor, rel=1e-3)
    assert scenario.events == base.events  # only parameters change, never the history
    sample = read_sample(path.with_name("calibrated.posterior.parquet"))  # --posterior's input
    np.testing.assert_allclose(sample.weights, last["weight"] / last["weight"].sum())
    google = sample.medians()["clients.Google.conflict_sensitivity"]
    assert float(f"{google:.4g}") == scenario.clients[0].conflict_sensitivity


def base_lab_conflict() -> float:
    """Meta's conflict weight in historical.yaml (not fitted: it owns the stake)."""
    base = load_scenario(ROOT / "scenarios" / "historical.yaml")
    return base.clients[1].conflict_sensitivity


def test_resume_of_a_finished_fit_simulates_nothing_new(quick_run: Path) -> None:
    """--resume reloads the checkpoint: the same posterior, no extra fitting simulations."""
    before = pd.read_parquet(quick_run / "posterior.parquet")
    runs = json.loads((quick_run / "manifest.json").read_text())["simulations_fit"]
    params = str(quick_run.parent / "parameters.yaml")
    args = ["--out", str(quick_run), "--resume", "--no-charts", "--parameters", params]
    assert main(["calibrate", "--quick", *SMALL, *args]) == 0
    pd.testing.assert_frame_equal(before, pd.read_parquet(quick_run / "posterior.parquet"))
    assert json.loads((quick_run / "manifest.json").read_text())["simulations_fit"] == runs


def test_holdout_predicts_the_held_out_fact(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--holdout fits without the fact's targets and judges them on the fit's predictions."""
    out = tmp_path / "h"
    args = ["calibrate", "--quick", *SMALL, "--out", str(out), "--no-charts"]
    assert main([*args, "--holdout", "google_largest_client"]) == 0
    table = pd.read_csv(out / "fit_table.csv")
    held = table[table["held_out"]]
    assert list(held["target"]) == ["google_largest_scale_client"]
    assert "held out google_largest_scale_client" in capsys.readouterr().out
    manifest = json.loads((out / "manifest.json").read_text())
    assert "google_largest_scale_client" not in manifest["targets"]


def _bad(tmp_path: Path, name: str, data: dict) -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("case", "words"),
    [
        ("unknown_fact", "facts[0]: unknown fact id 'made_up'"),
        ("unknown_metric", ".series: unknown metric 'happiness'"),
        ("reversed_prior", "parameters[0].low: bounds reversed"),
        ("unknown_holdout", "--holdout: unknown fact id 'nope'"),
        ("unused_holdout", "no target rests on fact 'scale_founded_year'"),
        ("missing_targets", "file not found"),
    ],
)
def test_bad_input_exits_2_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str, words: str
) -> None:
    """Each bad input: exit code 2, one message naming the file and field, no output folder."""
    targets = yaml.safe_load((ROOT / "calibration" / "targets.yaml").read_text())
    priors = yaml.safe_load((ROOT / "calibration" / "parameters.yaml").read_text())
    out = tmp_path / "out"
    args = ["calibrate", "--quick", "--out", str(out)]
    if case == "unknown_fact":
        targets["targets"][0]["facts"] = ["made_up"]
        args += ["--targets", str(_bad(tmp_path, "t.yaml", targets))]
    elif case == "unknown_metric":
        targets["targets"][2]["series"] = "happiness"
        args += ["--targets", str(_bad(tmp_path, "t.yaml", targets))]
    elif case == "reversed_prior":
        priors["parameters"][0].update(low=12.0, high=0.0)
        args += ["--parameters", str(_bad(tmp_path, "p.yaml", priors))]
    elif case == "unknown_holdout":
        args += ["--holdout", "nope"]
    elif case == "unused_holdout":
        args += ["--holdout", "scale_founded_year"]
    else:
        args += ["--targets", str(tmp_path / "missing.yaml")]
    assert main(args) == 2
    err = capsys.readouterr().err.strip()
    assert words in err and err.count("\n") == 0, err
    assert not out.exists()


def test_non_empty_out_is_refused_without_resume_or_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A folder holding something else is never overwritten."""
    (tmp_path / "keep.txt").write_text("mine")
    assert main(["calibrate", "--quick", "--out", str(tmp_path), "--force"]) == 2
    assert "only replaces an earlier calibration" in capsys.readouterr().err
    assert (tmp_path / "keep.txt").read_text() == "mine"


def test_leave_one_out_writes_the_table(tmp_path: Path) -> None:
    """--leave-one-out fits once per fact and tabulates whether each held-out fact is predicted."""
    targets = yaml.safe_load((ROOT / "calibration" / "targets.yaml").read_text())
    keep = {"google_largest_scale_client", "xai_keeps_scale_until_the_deal"}  # one world each
    targets["targets"] = [t for t in targets["targets"] if t["id"] in keep]
    path = _bad(tmp_path, "targets.yaml", targets)
    out = tmp_path / "loo"
    args = ["calibrate", "--leave-one-out", "--quick", "--budget", "1500", "--workers", "2"]
    assert main([*args, "--targets", str(path), "--out", str(out)]) == 0
    table = pd.read_csv(out / "leave_one_out.csv")
    assert list(table["fact"]) == [
        "google_largest_client",
        "scale_client_roster",
        "openai_xai_reduced_work_after_deal",
    ]
    assert list(table["target"]) == [
        "google_largest_scale_client",
        "google_largest_scale_client",
        "xai_keeps_scale_until_the_deal",
    ]
    text = (out / "leave_one_out.md").read_text()
    assert "| held-out fact | target |" in text and f"{int(table['pass'].sum())} of 3" in text


def test_unreachable_scheduler_is_refused_quickly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--scheduler` pointing at nothing: one message, exit 2, nothing written, no hang."""
    pytest.importorskip("distributed")  # the cluster extra
    import socket
    import time

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    out = tmp_path / "cal"
    started = time.perf_counter()
    code = main(
        ["calibrate", "--quick", "--out", str(out), "--scheduler", f"tcp://127.0.0.1:{port}"]
    )
    assert code == 2
    assert time.perf_counter() - started < 10
    assert "127.0.0.1" in capsys.readouterr().err
    assert not out.exists()


def _copy_fit(quick_run: Path, to: Path) -> Path:
    """A copy of the quick fit's folder, to resume without touching the shared one."""
    import shutil

    return Path(shutil.copytree(quick_run, to))


def test_resume_cleans_staging_left_by_a_killed_fit(quick_run: Path, tmp_path: Path) -> None:
    """Staging folders a killed fit left in --out (old or locked style) go on the next run."""
    out = _copy_fit(quick_run, tmp_path / "out")
    (out / ".staging-abc123").mkdir()  # written before staging was locked
    (out / ".outputs.staging-dead").mkdir()
    (out / ".outputs.staging-dead" / "fit_table.csv").write_text("half")
    (out / ".outputs.staging-dead.lock").write_text("")  # its writer is gone: nobody holds it
    params = str(quick_run.parent / "parameters.yaml")
    args = ["--out", str(out), "--resume", "--no-charts", "--parameters", params]
    assert main(["calibrate", "--quick", *SMALL, *args]) == 0
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == []
    assert {p.name for p in out.iterdir()} == OUTPUTS


def test_calibrated_yaml_in_the_folder_loads_wherever_the_base_is(
    quick_run: Path, tmp_path: Path
) -> None:
    """The folder's calibrated.yaml extends its base by a path valid from the folder itself;
    a base it may not extend (outside its folder and the bundled scenarios) is copied in."""
    scenario = load_scenario(quick_run / "calibrated.yaml")
    assert scenario.name == "calibrated"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    base = elsewhere / "historical.yaml"  # the same bytes: the checkpoint still matches
    base.write_bytes((ROOT / "scenarios" / "historical.yaml").read_bytes())
    out = _copy_fit(quick_run, tmp_path / "out")
    params = str(quick_run.parent / "parameters.yaml")
    args = ["--out", str(out), "--resume", "--no-charts", "--parameters", params]
    assert main(["calibrate", "--quick", *SMALL, *args, "--scenario", str(base)]) == 0
    assert yaml.safe_load((out / "calibrated.yaml").read_text())["extends"] == "base_scenario.yaml"
    moved = load_scenario(out / "calibrated.yaml")
    assert moved.model_dump() == scenario.model_dump()


def test_resume_without_a_checkpoint_starts_afresh(tmp_path: Path) -> None:
    """A fit killed before its first checkpoint leaves nothing to resume: --resume starts it."""
    from labelmarket.calibration.pipeline import prepare_checkpoint

    state = prepare_checkpoint(tmp_path, "config", resume=True)
    assert state.populations == [] and state.runs == 0 and state.config == "config"
