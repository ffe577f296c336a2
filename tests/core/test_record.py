"""model.core.record: a month kept in the history is the month's figures (and decisions'
reasons); a summary keeps the totals of the spend a full record keeps."""

from __future__ import annotations

import numpy as np
import pytest

from labelmarket.model.core.month import DECIDED, empty_month
from labelmarket.model.core.record import CLIENT_HISTORY, VENDOR_HISTORY, History, check_record

SPEND = np.array([[[1.0, 2.0], [3.0, 4.0]], [[5.0, 6.0], [7.0, 8.0]]])  # (C, V, 2)
FROM_DECISIONS = ("price_reason", "wage_reason")


def _month():
    """A month of 2 clients x 2 vendors whose every recorded field holds its own numbers."""
    month, decided = empty_month(1, 2, 2), np.zeros((1, 2), DECIDED)
    rng = np.random.default_rng(0)
    for name in VENDOR_HISTORY.names:
        if name not in FROM_DECISIONS:
            field = month.vendors[name]
            if field.dtype.kind == "f":  # distinct numbers: a field copied to another shows
                month.vendors[name] = rng.uniform(1.0, 2.0, field.shape)
            else:
                month.vendors[name] = 1 if name != "money_reason" else [[2, 3]]
    decided["price_reason"], decided["wage_reason"] = [[1, 2]], [[2, 1]]
    month.clients["budget"][0] = [[10.0, 20.0], [30.0, 40.0]]
    month.clients["unserved"][0] = [0.5, 1.5]
    month.pairs["spend"][0] = SPEND
    return month, decided


def test_keep_copies_the_month_into_its_row_of_the_history() -> None:
    """Every recorded vendor and client field of month t equals the month's; reasons come
    from the decisions; other months stay empty."""
    month, decided = _month()
    history = History.empty(3, 1, 2, 2, "full")
    history.keep(1, month, decided)
    kept = history.vendors[1, 0]
    for name in VENDOR_HISTORY.names:
        source = decided if name in FROM_DECISIONS else month.vendors
        assert np.array_equal(kept[name], source[name][0]), name
    for name in CLIENT_HISTORY.names:
        assert np.array_equal(history.clients[1, 0][name], month.clients[name][0]), name
    assert history.spend[1, 0] == pytest.approx(SPEND, abs=0)
    assert not history.spend[[0, 2]].any() and not history.vendors["revenue"][[0, 2]].any()


def test_a_summary_keeps_spend_by_vendor_and_by_client() -> None:
    """By vendor: sum over clients, (6, 8) and (10, 12); by client: 1+2+3+4 and 5+6+7+8."""
    month, decided = _month()
    history = History.empty(2, 1, 2, 2, "summary")
    history.keep(0, month, decided)
    assert history.spend is None
    assert history.spend_by_vendor[0, 0] == pytest.approx(np.array([[6.0, 8.0], [10.0, 12.0]]))
    assert history.spend_by_client[0, 0] == pytest.approx([10.0, 26.0], abs=0)
    assert set(history.arrays()) >= {"spend_by_vendor", "spend_by_client", "revenue", "budget"}


def test_an_unknown_record_mode_is_refused_with_the_modes_allowed() -> None:
    """check_record names full and summary."""
    assert check_record("summary") == "summary"
    with pytest.raises(ValueError, match="full, summary"):
        check_record("everything")
