"""The decisions table: every price or pay move a vendor made, with its reason in words."""

from __future__ import annotations

import numpy as np

from labelmarket.model.core.strategies import POLICIES
from labelmarket.model.drivers.batched import run_batch
from labelmarket.model.results.decisions import COLUMNS, decisions


def test_every_move_is_a_row_with_a_reason(historical) -> None:
    """Rows match the recorded moves one to one; no move is 'unchanged'."""
    result = run_batch(historical, [3, 4])
    table = decisions(result, historical, "2024-01")
    assert list(table.columns) == COLUMNS
    prices = result.history["price"]
    moves = int((np.abs(np.diff(np.log(prices), axis=0)) > 1e-4).sum())
    assert (table["decision"] == "price").sum() == moves > 0
    assert set(table["reason"]) <= set(POLICIES["pricing"]["markup"].reasons) | set(
        POLICIES["wages"]["staffing"].reasons
    )
    assert not (table["reason"] == "unchanged").any()
    np.testing.assert_allclose(table["after"] / table["before"] - 1, table["change"])


def test_the_csv_is_the_tables_text(historical) -> None:
    """Built from the arrays, the CSV text is pandas' text of the table, header or not."""
    from labelmarket.model.results.decisions import decisions_csv

    result = run_batch(historical, [3, 4, 5])
    table = decisions(result, historical, "2024-01", first=10)
    assert list(table["replicate"].unique()) == [10, 11, 12]
    for header in (True, False):
        expected = table.to_csv(index=False, header=header)
        assert decisions_csv(result, historical, "2024-01", 10, header).decode() == expected
