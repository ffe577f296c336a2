"""Sweeps: identical numbers whatever the workers or chunking; failures recorded per run;
resume without redoing or duplicating."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from labelmarket.model.execution.local import LocalEngine
from labelmarket.model.execution.seeds import sweep_seeds
from labelmarket.model.experiments.sensitivity import (
    point_summary,
)
from labelmarket.model.experiments.sweep import (
    FAIL_ENV,
    plan_sweep,
    read_parts,
    run_sweep,
)


def test_results_hold_every_run_once_with_its_parameters(small_sweep):
    _, results = small_sweep
    assert results["run"].tolist() == list(range(18))
    assert (results["point"] * 3 + results["replicate"] == results["run"]).all()
    assert results["error"].isna().all()
    by_point = results.groupby("point")["clients.*.conflict_sensitivity"].nunique()
    assert (by_point == 1).all()
    assert sorted(results["clients.*.conflict_sensitivity"].unique()) == [0, 4, 8]
    expected = sweep_seeds(11, results["point"].to_numpy(), results["replicate"].to_numpy())
    assert (results["seed"].to_numpy() == expected).all()
    assert len(set(results["seed"])) == 18


def test_outcomes_mean_what_they_say(small_sweep):
    _, r = small_sweep
    paired = r["revenue_2026[Scale AI]"] - r["revenue_2026[Scale AI] vs baseline"]
    no_conflict = r["clients.*.conflict_sensitivity"] == 0
    # with no conflict penalty and no founder exposure, the stake costs Scale nothing...
    quiet = no_conflict & (r["market.founder_exposure"] == 0)
    assert paired[quiet].gt(0).all()  # the baseline revenue itself, positive
    # ...and a strong penalty makes the deal cost Scale revenue (paired difference < 0)
    harsh = r["clients.*.conflict_sensitivity"] == 8
    assert r.loc[harsh, "revenue_2026[Scale AI] vs baseline"].median() < 0
    assert r["crowd_share_end"].between(0, 1).all() and r["hhi_2025"].between(0, 1).all()
    assert (r["defections_total"] >= 0).all() and (r["defections_total"] % 1 == 0).all()
    leave = r["leave_month[Google->Scale AI]"].dropna()
    assert leave.between(0, 35).all() and (leave % 1 == 0).all()


@pytest.mark.parametrize("workers, chunk", [(2, 5), (2, 1), (1, 7)])
def test_same_numbers_whatever_the_workers_and_chunking(small_sweep, tmp_path, workers, chunk):
    path, expected = small_sweep
    run_sweep(plan_sweep(path), tmp_path / "a", LocalEngine(workers), chunk_size=chunk)
    pd.testing.assert_frame_equal(read_parts(tmp_path / "a"), expected, check_exact=True)
    assert len(list((tmp_path / "a" / "parts").glob("*.parquet"))) == math.ceil(18 / chunk)


def test_resume_after_interruption_neither_redoes_nor_duplicates(small_sweep, tmp_path):
    path, expected = small_sweep
    out = tmp_path / "r"
    assert run_sweep(plan_sweep(path), out, LocalEngine(1), chunk_size=4, limit=7) == (7, 0)
    first = sorted(p.name for p in (out / "parts").glob("*.parquet"))
    stamps = {p.name: p.stat().st_mtime_ns for p in (out / "parts").glob("*.parquet")}
    (out / "parts" / "part-00000099.parquet.tmp").write_bytes(b"half a part")  # a killed write
    assert run_sweep(plan_sweep(path), out, LocalEngine(2), chunk_size=3) == (11, 0)
    assert all(
        (out / "parts" / n).stat().st_mtime_ns == stamps[n] for n in first
    )  # earlier parts untouched
    assert not list((out / "parts").glob("*.tmp"))
    rows = pd.concat([pd.read_parquet(p) for p in (out / "parts").glob("*.parquet")])
    assert len(rows) == 18 and rows["run"].is_unique
    pd.testing.assert_frame_equal(read_parts(out), expected, check_exact=True)
    assert run_sweep(plan_sweep(path), out, LocalEngine(1)) == (0, 0)  # nothing left


def test_a_failing_run_is_recorded_and_the_sweep_goes_on(small_sweep, tmp_path, monkeypatch):
    path, expected = small_sweep
    monkeypatch.setenv(FAIL_ENV, "4,13")
    done, failed = run_sweep(plan_sweep(path), tmp_path / "f", LocalEngine(2), chunk_size=6)
    assert (done, failed) == (18, 2)
    got = read_parts(tmp_path / "f")
    bad = got["run"].isin([4, 13])
    assert got.loc[bad, "error"].str.contains("injected failure in run").all()
    assert got.loc[bad, "revenue_2026[Scale AI]"].isna().all()
    assert got.loc[~bad, "error"].isna().all()
    # the chunk-mates of a failing run are re-run alone and keep their exact numbers
    pd.testing.assert_frame_equal(got[~bad], expected[~bad], check_exact=True)
    summary = point_summary(got, ["clients.*.conflict_sensitivity"], ["defections_total"])
    assert summary["failed"].sum() == 2 and summary["runs"].sum() == 18
