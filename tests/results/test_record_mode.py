"""`--record summary`: the totals of a full record, no client x vendor history, same numbers.

A summary record keeps spend per vendor and tier and per client instead of per client x
vendor x tier; every table and metric it still writes must equal the full record's for
the same seed (the pair rows are the only thing missing), and what it keeps must grow
with clients plus vendors, not with their product.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from benchmarks.synthetic_world import synthetic_world
from labelmarket.model.core.record import RECORDS, History, check_record
from labelmarket.model.drivers.batched import run_batch
from labelmarket.model.results.memory import measure
from labelmarket.model.results.tidy import metric_blocks
from tests.support import HISTORICAL, assert_bad_input, call_main

SEEDS = [3, 17, 40]


@pytest.fixture(scope="module")
def both(historical):
    """The same replicates of the historical scenario recorded in full and in summary."""
    return run_batch(historical, SEEDS), run_batch(historical, SEEDS, record="summary")


def test_summary_keeps_the_totals_of_the_full_record(both) -> None:
    """Spend per vendor and tier and per client are the full record's sums, bit for bit."""
    full, summary = both
    spend = full.history["spend"]  # (T, R, C, V, 2)
    assert "spend" not in summary.history
    np.testing.assert_array_equal(summary.history["spend_by_vendor"], spend.sum(axis=2))
    np.testing.assert_array_equal(summary.history["spend_by_client"], spend.sum(axis=(3, 4)))
    for key, values in full.history.items():
        if key != "spend":
            np.testing.assert_array_equal(summary.history[key], values, err_msg=key)
    for key, values in full.defections.items():
        np.testing.assert_array_equal(summary.defections[key], values, err_msg=key)


def test_summary_metrics_are_the_full_metrics_without_pairs(both, historical) -> None:
    """Every vendor, client and market metric is the same; only the pair metrics are gone."""
    full, summary = both
    expected = {(k, m): a for k, m, a in metric_blocks(full, historical) if k != "pair"}
    got = {(k, m): a for k, m, a in metric_blocks(summary, historical)}
    assert list(got) == list(expected)
    for key, values in expected.items():
        np.testing.assert_array_equal(got[key], values, err_msg=str(key))


def test_summary_run_folder_equals_full_run_folder_without_pairs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The command's tables: identical, the time series without its client x vendor rows."""
    folders = {}
    for record in RECORDS:
        folders[record] = tmp_path / record
        args = ["run", str(HISTORICAL), "-n", "3", "--seed", "5", "--workers", "1", "-q"]
        code, _, err = call_main([*args, "--record", record, "--out", str(folders[record])], capsys)
        assert code == 0, err
    full, summary = folders["full"], folders["summary"]
    for name in ("summary.csv", "defections.csv", "decisions.csv"):
        assert (summary / name).read_bytes() == (full / name).read_bytes(), name
    ts_full = pd.read_parquet(full / "timeseries.parquet")
    ts_summary = pd.read_parquet(summary / "timeseries.parquet")
    no_pairs = ts_full[ts_full.client.isna() | ts_full.vendor.isna()].reset_index(drop=True)
    pd.testing.assert_frame_equal(ts_summary, no_pairs, check_categorical=False)
    assert sorted(p.name for p in (summary / "charts").iterdir()) == [
        "business_models.png", "largest_vendor.png", "market_share.png",
    ]  # fmt: skip


def _history_bytes(n_clients: int, n_vendors: int, record: str) -> int:
    """Bytes a 12-month run of a synthetic market records."""
    world = synthetic_world(n_clients, n_vendors, months=12)
    return sum(a.nbytes for a in run_batch(world, [1], record=record).history.values())


def test_summary_history_grows_with_clients_plus_vendors_not_their_product() -> None:
    """Doubling clients and vendors at most doubles a summary record; a full one quadruples."""
    small = {r: _history_bytes(60, 6, r) for r in RECORDS}
    large = {r: _history_bytes(120, 12, r) for r in RECORDS}
    assert large["summary"] <= 2.0 * small["summary"]
    assert large["full"] >= 3.0 * small["full"]
    assert large["summary"] * 4 < large["full"]


def test_the_run_is_sized_for_what_it_records(historical) -> None:
    """A summary run's planned history and rows leave out the client x vendor pairs."""
    full = measure(historical, 10, 1, record="full")
    summary = measure(historical, 10, 1, record="summary")
    pairs = historical.n_clients * historical.n_vendors
    assert full.rows - summary.rows == 2 * pairs * historical.months
    assert summary.history_month < full.history_month


def test_a_record_mode_is_checked() -> None:
    """Only full and summary exist; a summary history holds the totals, not the pairs."""
    assert check_record("summary") == "summary"
    with pytest.raises(ValueError, match="full, summary"):
        check_record("everything")
    kept = History.empty(4, 1, 3, 2, "summary").arrays()
    assert "spend" not in kept and "revenue" in kept
    assert kept["spend_by_vendor"].shape == (4, 1, 2, 2)
    assert kept["spend_by_client"].shape == (4, 1, 3)


@pytest.mark.parametrize("value", ["all", "Summary", ""])
def test_a_bad_record_option_exits_2_with_one_line(
    value: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Refused by argparse before anything runs: exit 2, the modes allowed, nothing written."""
    out = tmp_path / "out"
    with pytest.raises(SystemExit) as caught:
        call_main(["run", str(HISTORICAL), "--record", value, "--out", str(out)], capsys)
    err = capsys.readouterr().err
    assert_bad_input(caught.value.code, err, "--record", "expected full or summary", repr(value))
    assert not out.exists()
