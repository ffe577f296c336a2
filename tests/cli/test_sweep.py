"""`labelmarket sweep` and `labelmarket plot` end to end: outputs, resume, Ctrl-C, failures,
bad input (one message, exit code 2, nothing written) and `run --scheduler`."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pandas as pd
import pytest
import yaml

from labelmarket.cli.main import main
from labelmarket.model.experiments import sweep as sweep_module
from labelmarket.model.experiments.sweep import FAIL_ENV
from tests.support import SCENARIOS, dask_scheduler

MORRIS = {
    "name": "tiny_morris",
    "scenario": str(SCENARIOS / "historical.yaml"),
    "design": "morris",
    "points": 4,
    "parameters": [
        {"path": "clients.*.conflict_sensitivity", "range": [0, 8]},
        {"path": "market.founder_exposure", "range": [0, 0.5]},
    ],
    "replicates": 1,
    "seed": 5,
    "outcomes": [
        {"metric": "revenue", "vendor": "Scale AI", "year": 2026},
        {"metric": "defections"},
    ],
}


def sweep_file(folder: Path, **changes: object) -> Path:
    """Write MORRIS (with changes; a value of None drops the key) to folder/sweep.yaml."""
    data = {k: v for k, v in {**MORRIS, **changes}.items() if v is not None}
    for key in ("scenario", "baseline"):  # a sweep names its scenarios by relative paths
        if isinstance(data.get(key), str) and Path(data[key]).is_absolute():
            data[key] = os.path.relpath(data[key], folder)
    path = folder / "sweep.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def finished(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """One uninterrupted CLI sweep with charts: (sweep file, output folder)."""
    folder = tmp_path_factory.mktemp("cli")
    path = sweep_file(folder)
    assert main(["sweep", str(path), "--out", str(folder / "out"), "--workers", "2"]) == 0
    return path, folder / "out"


def test_a_sweep_writes_tables_manifest_and_charts(finished):
    _, out = finished
    results = pd.read_parquet(out / "results.parquet")
    assert len(results) == 12 and results["run"].is_unique and results["error"].isna().all()
    summary = pd.read_csv(out / "summary.csv")
    assert set(summary["outcome"]) == {"revenue_2026[Scale AI]", "defections_total"}
    sens = pd.read_csv(out / "sensitivity.csv")
    assert {"mu_star", "mu_star_conf", "sigma"} <= set(sens.columns) and len(sens) == 4
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "complete" and manifest["runs"] == 12
    assert manifest["seed"] == 5 and "SeedSequence" in manifest["seed_scheme"]
    assert manifest["sweep"]["design"] == "morris" and manifest["versions"]["SALib"]
    assert manifest["sessions"][-1]["ended"] == "complete"
    charts = {p.name for p in (out / "charts").glob("*.png")}
    assert {"sensitivity_defections_total.png", "response_revenue_2026_scale_ai.png"} <= charts


def test_plot_redraws_the_charts(finished, tmp_path, capsys):
    _, out = finished
    assert main(["plot", str(out), "--out", str(tmp_path / "charts")]) == 0
    assert len(list((tmp_path / "charts").glob("*.png"))) == 4
    assert "wrote 4 charts" in capsys.readouterr().err


def test_limit_then_resume_equals_one_run(finished, tmp_path):
    path, expected = finished
    out = tmp_path / "out"
    assert main(["sweep", str(path), "--out", str(out), "--limit", "5", "--workers", "1"]) == 0
    assert not (out / "results.parquet").exists()
    assert main(["sweep", str(path), "--out", str(out)]) == 2  # needs --resume
    args = ["sweep", str(path), "--out", str(out), "--resume", "--chunk-size", "2"]
    assert main([*args, "--no-charts"]) == 0
    pd.testing.assert_frame_equal(
        pd.read_parquet(out / "results.parquet"),
        pd.read_parquet(expected / "results.parquet"),
        check_exact=True,
    )
    sessions = json.loads((out / "manifest.json").read_text())["sessions"]
    assert [s["ended"] for s in sessions] == ["limit", "complete"]


def test_ctrl_c_keeps_finished_parts_and_resume_finishes(finished, tmp_path, monkeypatch, capsys):
    path, expected = finished
    out = tmp_path / "out"
    write = sweep_module._write_part
    calls = []

    def interrupted(*args: object) -> int:
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return write(*args)

    monkeypatch.setattr(sweep_module, "_write_part", interrupted)
    argv = ["sweep", str(path), "--out", str(out), "--workers", "1", "--chunk-size", "2"]
    assert main(argv) == 130
    assert "--resume" in capsys.readouterr().err
    assert len(list((out / "parts").glob("*.parquet"))) == 2
    monkeypatch.setattr(sweep_module, "_write_part", write)
    assert main([*argv, "--resume", "--no-charts"]) == 0
    pd.testing.assert_frame_equal(
        pd.read_parquet(out / "results.parquet"),
        pd.read_parquet(expected / "results.parquet"),
        check_exact=True,
    )


def test_failed_runs_are_counted_and_the_exit_code_says_so(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv(FAIL_ENV, "3")
    out = tmp_path / "out"
    assert main(["sweep", str(sweep_file(tmp_path)), "--out", str(out), "--no-charts"]) == 1
    text = capsys.readouterr().out
    assert "1 failed" in text and "injected failure in run 3" in text
    results = pd.read_parquet(out / "results.parquet")
    assert results["error"].notna().sum() == 1 and len(results) == 12
    assert json.loads((out / "manifest.json").read_text())["runs_failed"] == 1
    # a point lacking its value gets no sensitivity index, and the summary says why
    assert "no sensitivity indices" in text


FOUNDER = {"path": "market.founder_exposure", "range": [0, 0.5]}
INERTIA = {"path": "clients.*.inertia", "range": [0, 1]}
BAD = {
    "range low above high": (
        {"parameters": [{"path": "market.founder_exposure", "range": [0.5, 0.1]}, INERTIA]},
        "range low 0.5 is above high 0.1",
    ),
    "unknown parameter": (
        {"parameters": [{"path": "clients.Google.conflict_sensitivty", "range": [0, 1]}, FOUNDER]},
        "did you mean 'clients.Google.conflict_sensitivity'",
    ),
    "budget": ({"points": 1000, "max_runs": 500}, "needs 3,000 points x 1 replicates = 3,000"),
    "outside the schema": (
        {"parameters": [{"path": "market.founder_exposure", "range": [0, 2]}, INERTIA]},
        "range [0, 2] is outside the allowed [0, 1]",
    ),
    "unknown key": ({"replicate": 3}, "unknown field; did you mean 'replicates'?"),
    "unknown vendor": (
        {"outcomes": [{"metric": "revenue", "vendor": "Scale"}]},
        "unknown vendor 'Scale'; did you mean 'Scale AI'?",
    ),
    "missing year": (
        {"outcomes": [{"metric": "revenue", "vendor": "Scale AI", "year": 2031}]},
        "year 2031 is outside the horizon (2024-2026)",
    ),
    "sobol needs a power of 2": ({"design": "sobol", "points": 6}, "power of 2"),
    "missing scenario": ({"scenario": "nowhere.yaml"}, "nowhere.yaml: file not found"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_sweep_files_exit_2_with_one_message_and_write_nothing(case, tmp_path, capsys):
    changes, message = BAD[case]
    out = tmp_path / "out"
    code = main(["sweep", str(sweep_file(tmp_path, **changes)), "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2
    assert message in err and "Traceback" not in err
    assert not out.exists() and list(tmp_path.iterdir()) == [tmp_path / "sweep.yaml"]


def test_unreachable_scheduler_fails_fast_and_writes_nothing(tmp_path, capsys):
    pytest.importorskip("distributed")  # the cluster extra
    out = tmp_path / "out"
    started = time.perf_counter()
    argv = [
        "sweep",
        str(sweep_file(tmp_path)),
        "--out",
        str(out),
        "--scheduler",
        "tcp://127.0.0.1:9",
    ]
    assert main(argv) == 2
    assert time.perf_counter() - started < 10
    assert "cannot reach the scheduler at tcp://127.0.0.1:9" in capsys.readouterr().err
    assert not out.exists()


def test_resume_refuses_a_changed_sweep(finished, tmp_path, capsys):
    _, out = finished
    before = (out / "manifest.json").read_bytes()
    changed = sweep_file(tmp_path, seed=6)
    assert main(["sweep", str(changed), "--out", str(out), "--resume"]) == 2
    assert "holds a different sweep" in capsys.readouterr().err
    assert (out / "manifest.json").read_bytes() == before


def test_plot_refuses_a_folder_without_a_sweep(tmp_path, capsys):
    assert main(["plot", str(tmp_path)]) == 2
    assert "no sweep manifest.json" in capsys.readouterr().err


def test_run_on_a_dask_cluster_equals_a_local_run(tmp_path):
    base = ["run", str(SCENARIOS / "historical.yaml"), "-n", "3", "--seed", "4", "--no-charts"]
    assert main([*base, "--out", str(tmp_path / "local"), "--workers", "2"]) == 0
    with dask_scheduler(threads=1) as address:
        assert main([*base, "--out", str(tmp_path / "dask"), "--scheduler", address]) == 0
    for name in ("timeseries.parquet",):
        pd.testing.assert_frame_equal(
            pd.read_parquet(tmp_path / "dask" / name), pd.read_parquet(tmp_path / "local" / name)
        )
    for name in ("summary.csv", "defections.csv"):
        assert (tmp_path / "dask" / name).read_bytes() == (tmp_path / "local" / name).read_bytes()
