"""The fast CSV text is pandas' `to_csv` text, character for character, on every table."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from labelmarket.model.drivers.batched import run_batch
from labelmarket.model.results import tables
from labelmarket.model.results.csv_text import (
    ARROW_EXACT,
    csv_text,
    float_cells,
    joined_rows,
    text_cells,
)
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


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(allow_nan=True, allow_infinity=True), min_size=1, max_size=50))
def test_arrow_formats_floats_as_pandas_writes_them(numbers: list[float]) -> None:
    """Any float, in or out of the window Arrow formats, reads as pandas' CSV field."""
    expected = ["" if x != x else repr(x) for x in numbers]
    assert float_cells(np.asarray(numbers)).to_pylist() == expected


def test_arrow_text_at_the_edges_of_its_window() -> None:
    """Either side of each edge, whole numbers (a `.0` added) and tiny steps alike."""
    low, high = ARROW_EXACT
    edges = [low, high, 1.0, 1e15, 1e16, 0.0]
    numbers = np.array([np.nextafter(e, d) for e in edges for d in (-np.inf, np.inf)] + edges)
    numbers = np.concatenate([numbers, -numbers, np.arange(-5.0, 5.0, 0.5) * 1e9])
    expected = [repr(x) for x in numbers.tolist()]
    assert float_cells(numbers).to_pylist() == expected


def test_rows_joined_by_arrow_are_csv_lines() -> None:
    frame = pd.DataFrame({"name": ["a,b", 'say "hi"', "plain"], "x": [0.5, np.nan, 1e20]})
    codes = np.array([2, 0, 1, 2])
    cells = [text_cells(list(frame["name"]), codes), float_cells(frame["x"].to_numpy()[codes])]
    expected = frame.iloc[codes].to_csv(index=False, header=False)
    assert joined_rows(cells) == expected.encode("utf-8")
    assert joined_rows([c[:0] for c in cells]) == b""
