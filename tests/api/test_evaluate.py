"""`lm.evaluate`: a user's own table of parameter sets (a SALib matrix, an EMA experiments
table) runs as a sweep's points do, with the sweep's numbers for the same points and seed."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import labelmarket as lm
from tests.support import NO_DEAL, SMALL_SWEEP


def test_a_table_of_the_sweeps_points_gives_the_sweeps_numbers(small_sweep) -> None:
    _, swept = small_sweep
    paths = [p["path"] for p in SMALL_SWEEP["parameters"]]
    points = swept[swept["replicate"] == 0].sort_values("point")[paths].reset_index(drop=True)
    found = lm.evaluate(
        "historical", points, outcomes=SMALL_SWEEP["outcomes"], replicates=3,
        seed=SMALL_SWEEP["seed"], baseline=NO_DEAL, workers=1,
    )  # fmt: skip
    assert len(found) == len(swept) and found["error"].isna().all()
    names = [c for c in swept.columns if c not in ("run", "point", "replicate", "seed", "error")]
    names = [n for n in names if n not in paths]
    expected = swept.sort_values("run", ignore_index=True)
    assert (found["row"].to_numpy() == expected["point"].to_numpy()).all()
    assert (found["seed"].to_numpy() == expected["seed"].to_numpy()).all()
    pd.testing.assert_frame_equal(found[names], expected[names], check_dtype=False)


def test_salib_and_ema_tables_are_taken_as_they_come() -> None:
    problem = {"num_vars": 1, "names": ["clients.*.conflict_sensitivity"], "bounds": [[0, 8]]}
    matrix = np.array([[0.0], [8.0]])
    outcomes = [{"metric": "revenue", "vendor": "Scale AI", "year": 2026}]
    salib = lm.evaluate("historical", (problem, matrix), outcomes=outcomes, workers=1)
    ema = pd.DataFrame({"clients.*.conflict_sensitivity": [0.0, 8.0], "scenario": [0, 1],
                        "policy": ["none", "none"], "model": ["lm", "lm"]})  # fmt: skip
    from_ema = lm.evaluate("historical", ema, outcomes=outcomes, workers=1)
    revenue = "revenue_2026[Scale AI]"
    pd.testing.assert_series_equal(salib[revenue], from_ema[revenue])
    assert salib[revenue].iloc[0] > salib[revenue].iloc[1]  # a costlier conflict, less revenue
    assert "scenario" not in from_ema.columns


@pytest.mark.parametrize(
    ("samples", "words"),
    [
        ({"clients.Gogle.conflict_sensitivity": [1.0]}, "column 'clients.Gogle.conflict_"),
        ({"clients.*.conflict_sensitivity": [1.0, -1.0]}, "row 1: -1 is outside the allowed"),
        (np.zeros((2, 2)), "needs as many parameter paths as `names=`"),
    ],
)
def test_bad_tables_are_refused_naming_the_argument_column_and_row(samples, words) -> None:
    with pytest.raises(lm.InputError, match=words) as found:
        lm.evaluate("historical", samples)
    assert "`samples=`" in str(found.value) or "`names=`" in str(found.value)
