"""The fast CSV text is pandas' `to_csv` text, character for character, on every table."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from labelmarket.model.drivers.batched import run_batch
from labelmarket.model.results import tables
from labelmarket.model.results.csv_text import csv_text
from labelmarket.model.results.decisions import decisions


@pytest.mark.parametrize("header", [True, False])
def test_the_run_tables_read_as_pandas_writes_them(historical, header: bool) -> None:
    result = run_batch(historical, [5, 6, 7])
    for table in (
        tables.summary(result, historical, "2024-01"),
        tables.defections(result, historical, "2024-01"),
        decisions(result, historical, "2024-01").assign(date=lambda f: f["date"].astype(str)),
    ):
        assert len(table) > 0
        assert csv_text(table, header) == table.to_csv(index=False, header=header)


def test_awkward_values_and_names() -> None:
    numbers = [0.0, -0.0, 1e-5, 1e-4, 1e16, 1e15, np.inf, -np.inf, np.nan, 5e-324, 0.1, 1 / 3]
    frame = pd.DataFrame(
        {
            "x": numbers,
            "n": np.arange(len(numbers), dtype=np.uint64) * 10**17,
            'name, "quoted"': ["a,b", 'say "hi"', "line\nbreak", "", "plain", "é"] * 2,
        }
    )
    assert csv_text(frame) == frame.to_csv(index=False)
    assert csv_text(frame.iloc[:0]) == frame.iloc[:0].to_csv(index=False)
    one = frame[["x"]]  # one column: an empty field is quoted on its own line; pandas decides
    assert csv_text(one) == one.to_csv(index=False)
    dates = pd.DataFrame({"d": pd.to_datetime(["2024-01-01", "2024-02-01"]), "v": [1, 2]})
    assert csv_text(dates) == dates.to_csv(index=False)  # a kind left to pandas


def test_categories_and_missing_text() -> None:
    frame = pd.DataFrame(
        {
            "c": pd.Categorical(["b", None, "a,z", "b"]),
            "s": pd.Series(["x", None, 'q"', "x"], dtype="str"),
            "o": np.array(["x", None, "y", "x"], dtype=object),
            "v": [1.5, 2.0, np.nan, 4.0],
        }
    )
    assert csv_text(frame) == frame.to_csv(index=False)
    mixed = pd.DataFrame({"o": np.array(["x", 1, None, "y"], dtype=object), "v": range(4)})
    assert csv_text(mixed) == mixed.to_csv(index=False)  # not only text: left to pandas
