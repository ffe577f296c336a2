"""`labelmarket compare`: right paired differences, readable headline, bad input refused."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from labelmarket.cli.main import main
from labelmarket.model.results.comparison import ComparisonError, compare, pair_replicates
from labelmarket.model.results.run_folder import load_run
from labelmarket.report.text import with_sentences
from tests.support import SCENARIOS

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _run(out: Path, scenario: str, seed: int = 1, *extra: str) -> Path:
    """A small run folder (4 replicates, no charts) written by the real command."""
    args = ["run", str(SCENARIOS / scenario), "-n", "4", "-s", str(seed), "-w", "1"]
    assert main([*args, "--no-charts", "--out", str(out), *extra]) == 0
    return out


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Historical and no-deal with the same seed, one with another seed, one shorter."""
    root = tmp_path_factory.mktemp("runs")
    return {
        "historical": _run(root / "historical", "historical.yaml"),
        "no_deal": _run(root / "no_deal", "no_deal.yaml"),
        "other_seed": _run(root / "other_seed", "historical.yaml", 7),
        "short": _run(root / "short", "no_deal.yaml", 1, "--set", "end=2025-12"),
    }


def test_paired_differences_are_replicate_by_replicate(runs: dict[str, Path]) -> None:
    base, deal = load_run(runs["no_deal"]), load_run(runs["historical"])
    table, diffs, pairings = compare([base, deal], unpaired=False)
    table = with_sentences(table)
    assert pairings[0].paired and list(pairings[0].base) == [0, 1, 2, 3]
    # Common random numbers: before the deal (June 2025) both worlds are identical.
    before = diffs[diffs["date"] < pd.Timestamp("2025-06-01")]
    assert np.allclose(before[["diff_lo", "diff_median", "diff_hi"]].to_numpy(), 0.0)
    # A monthly difference is the median of the per-replicate differences.
    month = pd.Timestamp("2026-06-01")
    values = []
    for run in (base, deal):
        ts = run.timeseries
        rows = ts[(ts.metric == "revenue") & (ts.vendor == "Scale AI") & ts.client.isna()]
        values.append(rows[rows.date == month].sort_values("replicate")["value"].to_numpy())
    row = diffs[(diffs.metric == "revenue") & (diffs.vendor == "Scale AI") & (diffs.date == month)]
    assert row["diff_median"].item() == pytest.approx(np.median(values[1] - values[0]))
    # The deal costs Scale revenue in 2026 and the sentence says so with an interval.
    scale = table[(table.outcome == "revenue") & (table.vendor == "Scale AI")]
    scale = scale[scale.period == "2026"].iloc[0]
    assert scale.pct_hi < 0 and scale.pct_lo <= scale.pct_median <= scale.pct_hi
    assert re.fullmatch(
        r"Scale AI 2026 revenue: -\d+% \[-\d+%, -\d+%\] versus no_deal", scale.text
    ), scale.text
    every = {"revenue", "market_share", "workforce", "valuation", "spend"}
    assert set(table["outcome"]) == every and set(diffs["metric"]) == every
    assert len(table[table.outcome == "spend"]) == len(base.clients) * len(base.vendors)


def test_different_seeds_are_refused_unless_unpaired(runs: dict[str, Path]) -> None:
    base, other = load_run(runs["no_deal"]), load_run(runs["other_seed"])
    with pytest.raises(ComparisonError, match="share no replicate seed"):
        pair_replicates(base, other)
    pairing = pair_replicates(base, other, allow_unpaired=True)
    assert not pairing.paired and len(pairing.base) == 16
    assert "UNPAIRED" in pairing.describe()


def test_compare_command_writes_tables_and_charts(
    runs: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A run folder and a scenario file, run on the fly with the folder's seed: paired."""
    out = tmp_path / "cmp"
    code = main(
        [
            "compare",
            str(runs["no_deal"]),
            str(SCENARIOS / "exclusive_deal.yaml"),
            "--out",
            str(out),
            "-w",
            "1",
        ]
    )
    assert code == 0
    printed = capsys.readouterr().out
    assert "exclusive_deal versus no_deal (paired by seed" in printed
    assert re.search(r"Scale AI 2026 revenue: -\d+% \[", printed)
    headline = pd.read_csv(out / "headline.csv")
    assert set(headline["scenario"]) == {"exclusive_deal"}
    charts = sorted(p.name for p in (out / "charts").glob("*.png"))
    assert charts == sorted(
        [
            "compare_revenue.png",
            "compare_market_share.png",
            "compare_workforce.png",
            "compare_valuation.png",
            "compare_client_spend_exclusive_deal.png",
        ]
    )
    assert all((out / "charts" / c).read_bytes()[:8] == PNG_MAGIC for c in charts)
    assert (out / "manifest.json").is_file()


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        (["no_deal", "missing"], "not found"),
        (["no_deal", "not_a_run"], "missing manifest.json"),
        (["no_deal", "other_seed"], "share no replicate seed"),
        (["no_deal", "short"], "different months"),
        (["no_deal"], "at least one other run"),
    ],
)
def test_bad_input_one_message_exit_2_nothing_written(
    runs: dict[str, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    inputs: list[str],
    message: str,
) -> None:
    (tmp_path / "not_a_run").mkdir()
    (tmp_path / "not_a_run" / "summary.csv").write_text("x\n1\n")
    paths = [str(runs.get(name, tmp_path / name)) for name in inputs]
    out = tmp_path / "out"
    assert main(["compare", *paths, "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1, err
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.")]
