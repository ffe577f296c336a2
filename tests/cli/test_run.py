"""End-to-end tests of the `labelmarket` command line: run, validate, params, facts.

One full run (3 replicates, charts on) is shared by the output tests; the other runs use
`--no-charts` so the whole file stays fast.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from labelmarket.cli.main import main
from labelmarket.model.core.state import TERM_NAMES
from labelmarket.model.scenario.fields import month_index
from labelmarket.model.scenario.loading import load_scenario
from tests.support import ROOT, run_cli

HISTORICAL = ROOT / "scenarios" / "historical.yaml"
REPLICATES = 3
SEED = 5
DRIVERS = set(TERM_NAMES) - {"scripted pause"}  # historical scripts no pause
CHARTS = {"market_share.png", "business_models.png", "client_spend.png", "largest_vendor.png"}
OUTPUTS = {"timeseries.parquet", "summary.csv", "defections.csv", "decisions.csv", "manifest.json"}


def run_args(out: Path, *extra: str, seed: int = SEED, replicates: int = REPLICATES) -> list[str]:
    """Arguments of a run of the historical scenario into `out`."""
    return ["run", str(HISTORICAL), "-n", str(replicates), "--seed", str(seed), "--out", str(out)]


def snapshot(folder: Path) -> dict[str, tuple[int, bytes]]:
    """(mtime_ns, bytes) of every file below `folder`."""
    return {
        str(p.relative_to(folder)): (p.stat().st_mtime_ns, p.read_bytes())
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def scenario():
    """The historical scenario as the model sees it."""
    return load_scenario(HISTORICAL)


@pytest.fixture(scope="module")
def full_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """One run with charts, in a subprocess: (output folder, stdout)."""
    parent = tmp_path_factory.mktemp("full")
    out = parent / "out"
    proc = run_cli([*run_args(out), "--workers", "1"], cwd=parent)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    return out, proc.stdout


@pytest.fixture(scope="module")
def timeseries(full_run: tuple[Path, str]) -> pd.DataFrame:
    return pd.read_parquet(full_run[0] / "timeseries.parquet")


@pytest.fixture(scope="module")
def summary(full_run: tuple[Path, str]) -> pd.DataFrame:
    return pd.read_csv(full_run[0] / "summary.csv")


@pytest.fixture(scope="module")
def manifest(full_run: tuple[Path, str]) -> dict:
    return json.loads((full_run[0] / "manifest.json").read_text(encoding="utf-8"))


# ------------------------------------------------------------------------- run outputs


def test_run_writes_every_output(full_run: tuple[Path, str], scenario) -> None:
    out, stdout = full_run
    assert {p.name for p in out.iterdir()} == OUTPUTS | {"charts"}
    assert not list(out.parent.glob(".out.*")), "staging folder left behind"
    assert f"{REPLICATES} replicates" in stdout
    for v in scenario.vendors:
        assert v.name in stdout


def test_timeseries_table(timeseries: pd.DataFrame, scenario) -> None:
    ts = timeseries
    assert list(ts.columns) == ["replicate", "month", "date", "client", "vendor", "metric", "value"]
    months = month_index(scenario.start, scenario.end) + 1
    assert months == 36
    assert sorted(ts["replicate"].unique()) == list(range(REPLICATES))
    assert sorted(ts["month"].unique()) == list(range(months))
    assert np.isfinite(ts["value"].to_numpy()).all()

    dates = ts.groupby("month")["date"].unique()
    assert all(len(d) == 1 for d in dates)
    first = pd.Timestamp(f"{scenario.start}-01")
    expected = pd.date_range(first, periods=months, freq="MS")
    assert list(pd.to_datetime([d[0] for d in dates])) == list(expected)

    vendors = {v.name for v in scenario.vendors}
    clients = {c.name for c in scenario.clients}
    for column, names in (("vendor", vendors), ("client", clients)):
        assert isinstance(ts[column].dtype, pd.CategoricalDtype)  # dictionary-encoded
        assert list(ts[column].cat.categories) == sorted(names)  # no '' for "none": a null
        assert ts[column].isna().any()

    share = ts[ts["metric"] == "market_share"]
    assert set(share["vendor"].astype(str)) == vendors
    assert share["client"].isna().all()
    market = ts[ts["metric"] == "hhi"]
    assert market["client"].isna().all() and market["vendor"].isna().all()
    pair = ts[ts["metric"] == "spend_expert"]
    assert pair["client"].notna().all() and pair["vendor"].notna().all()
    assert share["value"].between(0, 1).all()
    per_month = share.groupby(["replicate", "month"])["value"].agg(["sum", "size"])
    assert len(per_month) == REPLICATES * months
    assert (per_month["size"] == len(vendors)).all()
    np.testing.assert_allclose(per_month["sum"], 1.0, atol=1e-9)


def test_summary_table(summary: pd.DataFrame, timeseries: pd.DataFrame, scenario) -> None:
    assert len(summary) == REPLICATES
    assert list(summary["replicate"]) == list(range(REPLICATES))
    vendors = [v.name for v in scenario.vendors]
    years = range(int(scenario.start[:4]), int(scenario.end[:4]) + 1)
    assert list(years) == [2024, 2025, 2026]
    for v in vendors:
        for y in years:
            assert f"revenue_{y}[{v}]" in summary.columns
        assert f"share_end[{v}]" in summary.columns
    for column in ("defections", "hhi_end"):
        assert column in summary.columns
    numbers = summary.drop(columns=["seed"]).to_numpy(dtype=float)
    assert np.isfinite(numbers).all()

    shares = summary[[f"share_end[{v}]" for v in vendors]].to_numpy()
    np.testing.assert_allclose(shares.sum(axis=1), 1.0, atol=1e-9)
    np.testing.assert_allclose(summary["hhi_end"], (shares**2).sum(axis=1), rtol=1e-9)

    # yearly revenue in summary.csv agrees with the monthly revenue in timeseries.parquet
    rev = timeseries[timeseries["metric"] == "revenue"]
    by_year = rev.groupby(["replicate", rev["date"].dt.year, "vendor"], observed=True)["value"]
    totals = by_year.sum()
    for r in range(REPLICATES):
        for v in vendors:
            for y in years:
                assert summary.loc[r, f"revenue_{y}[{v}]"] == pytest.approx(totals[(r, y, v)])


def test_defections_table(full_run: tuple[Path, str], summary: pd.DataFrame, scenario) -> None:
    d = pd.read_csv(full_run[0] / "defections.csv")
    expected = {"replicate", "month", "date", "client", "vendor", "driver"}
    assert expected <= set(d.columns)
    assert len(d) > 0, "the historical scenario should produce defections"
    assert set(d["driver"]) <= DRIVERS
    assert set(d["client"]) <= {c.name for c in scenario.clients}
    assert set(d["vendor"]) <= {v.name for v in scenario.vendors}
    assert d["month"].between(0, month_index(scenario.start, scenario.end)).all()
    threshold = {c.name: c.defection_threshold for c in scenario.clients}
    fall = d["share_before"] - d["share_after"]  # at least the threshold of the share held
    assert (fall >= d["client"].map(threshold) * d["share_before"] - 1e-12).all()
    assert (d["share_before"] >= scenario.market.defection_floor).all()
    # summary.csv counts the same defections per replicate
    counts = d.groupby("replicate").size().reindex(range(REPLICATES), fill_value=0)
    assert list(counts) == list(summary["defections"])


def test_manifest(manifest: dict, summary: pd.DataFrame, scenario) -> None:
    for key in (
        "command",
        "scenario",
        "scenario_sha256",
        "seed",
        "replicate_seeds",
        "versions",
        "created_utc",
    ):
        assert key in manifest, key
    assert manifest["command"].startswith("labelmarket run ")
    assert str(HISTORICAL) in manifest["command"]
    resolved = manifest["scenario"]
    assert isinstance(resolved, dict)
    assert [v["name"] for v in resolved["vendors"]] == [v.name for v in scenario.vendors]
    assert resolved == load_scenario(HISTORICAL).resolved
    canonical = json.dumps(resolved, sort_keys=True, separators=(",", ":"))
    assert manifest["scenario_sha256"] == hashlib.sha256(canonical.encode()).hexdigest()
    assert manifest["seed"] == SEED
    seeds = manifest["replicate_seeds"]
    assert len(seeds) == REPLICATES == len(set(seeds))
    assert [int(s) for s in summary["seed"]] == seeds
    for package in ("mesa", "numpy"):
        assert manifest["versions"][package] == metadata.version(package)
    created = dt.datetime.fromisoformat(manifest["created_utc"])
    assert created.utcoffset() == dt.timedelta(0)
    assert abs(dt.datetime.now(dt.UTC) - created) < dt.timedelta(hours=1)


def test_charts(full_run: tuple[Path, str]) -> None:
    charts = full_run[0] / "charts"
    assert {p.name for p in charts.iterdir()} == CHARTS
    for png in charts.iterdir():
        data = png.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n", png
        assert len(data) > 10_000, png


# -------------------------------------------------------------------- output folder


def test_refuses_non_empty_folder_and_leaves_it_untouched(full_run: tuple[Path, str]) -> None:
    out = full_run[0]
    before = snapshot(out)
    proc = run_cli([*run_args(out, seed=SEED + 1), "--workers", "1"], cwd=out.parent)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert str(out) in proc.stderr and "--force" in proc.stderr
    assert snapshot(out) == before
    assert not list(out.parent.glob(".out.*"))


def test_force_replaces_only_an_earlier_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "stale.txt").write_text("old", encoding="utf-8")
    args = [*run_args(out, replicates=2), "--workers", "1", "--no-charts"]
    assert main(args) == 2
    assert "--force" in capsys.readouterr().err
    assert [p.name for p in out.iterdir()] == ["stale.txt"]
    # a folder that is not an earlier run is never deleted, even with --force
    assert main([*args, "--force"]) == 2
    assert "manifest.json" in capsys.readouterr().err
    assert [p.name for p in out.iterdir()] == ["stale.txt"]

    (out / "stale.txt").unlink()
    assert main([*args, "--seed", "6"]) == 0
    assert main([*args, "--force"]) == 0
    assert {p.name for p in out.iterdir()} == OUTPUTS
    assert len(pd.read_csv(out / "summary.csv")) == 2
    assert json.loads((out / "manifest.json").read_text())["seed"] == 5
    assert list(tmp_path.iterdir()) == [out]  # no staging folder left


def test_empty_existing_folder_is_used(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    assert main([*run_args(out, replicates=1), "--workers", "1", "--no-charts"]) == 0
    assert {p.name for p in out.iterdir()} == OUTPUTS


def test_out_is_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "taken"
    out.write_text("keep me", encoding="utf-8")
    assert main([*run_args(out, replicates=1), "--no-charts"]) == 2
    err = capsys.readouterr().err
    assert "taken" in err and "not a folder" in err
    assert out.read_text(encoding="utf-8") == "keep me"


def test_out_below_a_file(tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    proc = run_cli([*run_args(Path("afile/sub"), replicates=1), "--no-charts"], cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "afile" in proc.stderr


def test_force_into_the_working_folder_is_safe(tmp_path: Path) -> None:
    work = tmp_path / "work"  # everything this test may destroy lives in here
    work.mkdir()
    (work / "precious.txt").write_text("keep me", encoding="utf-8")
    proc = run_cli([*run_args(Path("."), replicates=1), "--no-charts", "--force"], cwd=work)
    assert "Traceback" not in proc.stderr, proc.stderr
    if proc.returncode == 0:  # replaced the folder as asked: the outputs must be there
        assert {p.name for p in work.iterdir()} >= OUTPUTS
    else:  # refused: nothing may be lost
        assert proc.returncode == 2
        assert (work / "precious.txt").read_text(encoding="utf-8") == "keep me"


def test_default_out_is_runs_scenario_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    args = ["run", str(HISTORICAL), "-n", "1", "--workers", "1", "--no-charts"]
    assert main(args) == 0
    assert {p.name for p in (tmp_path / "runs" / "historical").iterdir()} == OUTPUTS
    assert "runs/historical" in capsys.readouterr().err  # what was written: stderr


def test_out_folder_permissions_follow_umask(full_run: tuple[Path, str]) -> None:
    out = full_run[0]
    reference = out.parent / "reference"
    reference.mkdir(exist_ok=True)
    assert oct(out.stat().st_mode & 0o777) == oct(reference.stat().st_mode & 0o777)


# ----------------------------------------------------------------- reproducibility


@pytest.fixture(scope="module")
def two_workers(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The full run's seed and size again, on 2 worker processes and without charts."""
    parent = tmp_path_factory.mktemp("workers2")
    out = parent / "out"
    proc = run_cli([*run_args(out), "--workers", "2", "--no-charts"], cwd=parent)
    assert proc.returncode == 0, proc.stderr
    return out, proc.stdout


def test_workers_do_not_change_results(
    full_run: tuple[Path, str], two_workers: tuple[Path, str]
) -> None:
    one, two = full_run[0], two_workers[0]
    assert json.loads((two / "manifest.json").read_text(encoding="utf-8"))["workers"] == 2
    pd.testing.assert_frame_equal(
        pd.read_parquet(one / "timeseries.parquet"), pd.read_parquet(two / "timeseries.parquet")
    )
    assert (one / "summary.csv").read_bytes() == (two / "summary.csv").read_bytes()
    assert (one / "defections.csv").read_bytes() == (two / "defections.csv").read_bytes()


def test_no_charts(two_workers: tuple[Path, str]) -> None:
    assert {p.name for p in two_workers[0].iterdir()} == OUTPUTS


def test_no_charts_message(two_workers: tuple[Path, str]) -> None:
    assert "charts" not in two_workers[1]


def test_same_seed_same_summary_different_seed_different_summary(
    full_run: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    same, other = tmp_path / "same", tmp_path / "other"
    assert main([*run_args(same), "--workers", "1", "--no-charts"]) == 0
    assert main([*run_args(other, seed=SEED + 1), "--workers", "1", "--no-charts"]) == 0
    capsys.readouterr()
    reference = pd.read_csv(full_run[0] / "summary.csv")
    pd.testing.assert_frame_equal(pd.read_csv(same / "summary.csv"), reference)
    different = pd.read_csv(other / "summary.csv")
    assert different.shape == reference.shape
    revenue = [c for c in reference.columns if c.startswith("revenue_")]
    assert not np.allclose(different[revenue], reference[revenue])
    assert set(different["seed"]).isdisjoint(reference["seed"])


def test_set_reaches_the_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    override = "vendors.Scale AI.price.expert=80"
    args = [*run_args(out, replicates=1), "--workers", "1", "--no-charts", "--set", override]
    assert main(args) == 0
    capsys.readouterr()
    m = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert m["overrides"] == [override]
    scale = next(v for v in m["scenario"]["vendors"] if v["name"] == "Scale AI")
    assert scale["price"]["expert"] == 80.0
    ts = pd.read_parquet(out / "timeseries.parquet")
    price = ts[(ts["metric"] == "price_expert") & (ts["vendor"] == "Scale AI")]
    assert price["value"].iloc[0] == pytest.approx(80.0)


# ------------------------------------------------------------- help, params, facts


def test_help_lists_commands(tmp_path: Path) -> None:
    proc = run_cli(["--help"], cwd=tmp_path)
    assert proc.returncode == 0
    for command in ("run", "validate", "params", "facts"):
        assert command in proc.stdout
    proc = run_cli(["run", "--help"], cwd=tmp_path)
    assert proc.returncode == 0
    for option in ("--replicates", "--seed", "--set", "--out", "--workers", "--force"):
        assert option in proc.stdout


def test_no_command_is_a_usage_error(tmp_path: Path) -> None:
    proc = run_cli([], cwd=tmp_path)
    assert proc.returncode == 2
    assert "usage:" in proc.stderr and "Traceback" not in proc.stderr


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert metadata.version("labelmarket") in capsys.readouterr().out


def test_facts(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    assert main(["facts"]) == 0
    out = capsys.readouterr().out
    stake = next(line for line in out.splitlines() if line.startswith("meta_scale_stake_fraction"))
    assert "49%" in stake
    assert "Meta" in out and "Scale AI" in out

    assert main(["facts", "--conflicts"]) == 0
    conflicts = capsys.readouterr().out
    assert "conflicts between sources" in conflicts
    assert "meta_investment_amount" in conflicts
    assert conflicts != out


def test_facts_subprocess_with_seeds_option(tmp_path: Path) -> None:
    proc = run_cli(["facts", "--seeds", str(ROOT / "seeds")], cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "meta_scale_stake_fraction" in proc.stdout


def test_facts_from_any_folder_reads_the_bundled_ledger(tmp_path: Path) -> None:
    proc = run_cli(["facts"], cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "meta_scale_stake_fraction" in proc.stdout


def test_facts_with_a_missing_ledger_is_bad_input(tmp_path: Path) -> None:
    proc = run_cli(["facts", "--seeds", "nowhere"], cwd=tmp_path)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "seeds" in proc.stderr and "--seeds" in proc.stderr


def test_console_script_matches_module() -> None:
    script = Path(sys.executable).with_name("labelmarket")
    if not script.exists():
        pytest.skip("console script not installed next to the interpreter")
    proc = subprocess.run(
        [str(script), "--help"], capture_output=True, text=True, check=False, env=os.environ
    )
    assert proc.returncode == 0
    assert "validate" in proc.stdout
