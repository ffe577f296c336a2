"""model.core.finance on hand-computed cases: revenue, costs and cash; overhead following
revenue; the valuation multiple; raising money, cutting costs and exiting."""

from __future__ import annotations

import math

import pytest

from labelmarket.model.core.finance import (
    CUT_COSTS,
    EXITED,
    NO_MOVE,
    RAISED_MONEY,
    mind_cash,
    revalue,
    settle,
)
from tests.core.arrays import market

TOL = 1e-12


def _settled():
    """Vendor 0 served 1000 $ in 100 h and 3000 $ in 30 h at pay 400 / 100 h and
    4000 / 50 h, overhead 500; vendor 1 is out of business."""
    m = market(clients=2, vendors=2)
    m.p.market["revenue_smoothing"] = 0.3
    m.p.market["overhead_adjustment"] = 0.1
    m.p.vendor["hours_per_worker"] = [100.0, 50.0]
    m.vendors["active"][0, 1] = False
    m.vendors["wage"] = [400.0, 4000.0]
    m.vendors["overhead"] = 500.0
    m.vendors["overhead_ratio"] = 0.2
    m.vendors["cash"] = 10_000.0
    m.vendors["revenue_ema"][0, 0], m.vendors["revenue_slow"][0, 0] = 5000.0, 5000.0
    m.vendors["profit_ema"][0, 0] = 800.0
    m.vendors["valuation_multiple"] = 10.0
    m.month.vendors["served"][0, 0] = [1000.0, 3000.0]
    m.month.vendors["served_hours"][0, 0] = [100.0, 30.0]
    settle(m.p, m.vendors, 0, m.month)
    return m


def test_settle_books_revenue_pay_per_hour_worked_and_overhead_into_cash() -> None:
    """revenue = money served = 4000; costs = 4 $/h x 100 h + 80 $/h x 30 h + 500 = 3300;
    cash moves by revenue - costs."""
    m = _settled()
    row, vendor = m.month.vendors[0, 0], m.vendors[0, 0]
    assert (row["revenue"], row["costs"]) == pytest.approx((4000.0, 3300.0), rel=TOL)
    assert vendor["cash"] == pytest.approx(10_700.0, rel=TOL)
    assert m.month.vendors[0, 1]["costs"] == 0.0  # out of business: no pay, no overhead
    assert m.month.vendors[0, 1]["valuation"] == 0.0  # and worth nothing, whatever its cash
    assert m.vendors[0, 1]["cash"] == pytest.approx(10_000.0, rel=TOL)


def test_settle_smooths_revenue_and_profit_and_moves_overhead_toward_its_share() -> None:
    """ema' = a x 4000 + (1 - a) x 5000; year-long 4000/12 + 5000 x 11/12; profit
    0.3 x 700 + 0.7 x 800; overhead += 0.1 (0.2 ema' - 500); valuation = multiple x 12 ema'
    plus cash."""
    m = _settled()
    vendor, row = m.vendors[0, 0], m.month.vendors[0, 0]
    assert vendor["revenue_ema"] == pytest.approx(4700.0, rel=TOL)
    assert vendor["revenue_slow"] == pytest.approx(4000 / 12 + 5000 * 11 / 12, rel=TOL)
    assert vendor["profit_ema"] == pytest.approx(770.0, rel=TOL)
    assert row["overhead"] == pytest.approx(500.0, rel=TOL)  # this month's, before the move
    assert vendor["overhead"] == pytest.approx(500 + 0.1 * (940 - 500), rel=TOL)
    assert vendor["valuation_multiple"] == pytest.approx(10.0, rel=TOL)  # no reversion here
    assert row["valuation"] == pytest.approx(10 * 12 * 4700 + 10_700, rel=TOL)


def _revalued(profit: float, margin_normal: float) -> float:
    """The multiple after one step from 10 (base 10), recent revenue 1200 over 1000."""
    m = market(clients=2, vendors=2)
    m.p.market["valuation_reversion"] = 0.1
    m.p.market["valuation_growth_elasticity"] = 1.0
    m.p.market["valuation_margin_elasticity"] = 2.0
    v = m.vendors
    v["base_multiple"], v["valuation_multiple"] = 10.0, 10.0
    v["revenue_ema"], v["revenue_slow"], v["profit_ema"] = 1200.0, 1000.0, profit
    v["margin_normal"] = margin_normal
    revalue(m.p, v[0, 0], 0)
    return float(v["valuation_multiple"][0, 0])


def test_the_multiple_moves_toward_base_times_growth_times_exp_of_the_margin_gap() -> None:
    """fundamental = 10 x (1200/1000)^1 x exp(2 (300/1200 - 0.15)); a 0.1 step toward it;
    a loss-making vendor with a worse margin is marked down the same way."""
    up = 10 * 1.2 * math.exp(2 * (0.25 - 0.15))
    assert _revalued(300.0, 0.15) == pytest.approx(10 + 0.1 * (up - 10), rel=TOL)
    down = 10 * 1.2 * math.exp(2 * (-100 / 1200 - 0.15))
    assert _revalued(-100.0, 0.15) == pytest.approx(10 + 0.1 * (down - 10), rel=TOL)


def test_a_vendor_losing_money_is_never_marked_up() -> None:
    """Losing money with a margin above its start's (-1/12 vs -0.5): the fundamental,
    12 exp(2 x 0.42), is above 10, yet the multiple stays at 10."""
    assert _revalued(-100.0, -0.5) == pytest.approx(10.0, rel=TOL)


def _short_of_cash(cash, base_multiple, months_negative=0):
    """Vendors burning 50 $ a month on 100 $ of revenue (margin -0.5, as at the start, so
    the fundamental multiple is the base one) after `mind_cash`."""
    m = market(clients=2, vendors=len(cash))
    mp = m.p.market
    mp["funding_runway"], mp["funding_months"], mp["max_dilution"] = 6.0, 18.0, 0.25
    mp["cost_cut_rate"], mp["exit_months"] = 0.05, 6
    mp["valuation_growth_elasticity"], mp["valuation_margin_elasticity"] = 1.0, 2.0
    v = m.vendors
    v["cash"], v["base_multiple"], v["months_negative"] = [cash], [base_multiple], months_negative
    v["valuation_multiple"] = 100.0  # a stale mark: investors look at the fundamental
    v["revenue_ema"], v["revenue_slow"], v["profit_ema"] = 100.0, 100.0, -50.0
    v["margin_normal"], v["overhead"], v["workforce"] = -0.5, 1000.0, 10.0
    mind_cash(m.p, m.vendors, 0, m.month)
    return m.vendors[0], m.month.vendors[0]


def test_short_of_cash_a_vendor_raises_or_cuts_and_exits_after_exit_months() -> None:
    """Burning 50 $ a month with 100 $ (< 6 months of runway) it raises 18 x 50 = 900 $ when
    900 <= 0.25 (base multiple x 12 x 100 + cash), else cuts overhead 5%; the sixth month of
    negative cash it exits and its workers leave."""
    vendors, rows = _short_of_cash([100.0, 100.0, -10.0], [10.0, 0.5, 0.5], [0, 0, 5])
    # worth: 10 x 1200 + 100 = 12100 (a quarter: 3025); 0.5 x 1200 + 100 = 700 (175)
    assert rows["money_reason"].tolist() == [RAISED_MONEY, CUT_COSTS, EXITED]
    assert rows["funding"] == pytest.approx([900.0, 0.0, 0.0], abs=TOL)
    assert vendors["cash"] == pytest.approx([1000.0, 100.0, -10.0], rel=TOL)
    assert vendors["overhead"] == pytest.approx([1000.0, 950.0, 950.0], rel=TOL)
    assert vendors["active"].tolist() == [True, True, False]
    assert vendors["exited"].tolist() == [False, False, True]
    assert vendors["workforce"][2] == pytest.approx([0.0, 0.0], abs=TOL)


def test_a_raise_covers_negative_cash_and_a_vendor_with_runway_does_nothing() -> None:
    """need = max(funding_months x burn, -cash): at -2000 $ it raises 2000 $ (not 900;
    0.25 x (12000 - 2000) allows it) and its count of negative months restarts; 1000 $ at
    a burn of 50 (20 months of runway) moves nothing."""
    vendors, rows = _short_of_cash([-2000.0, 1000.0], [10.0, 10.0], 3)
    assert rows["money_reason"].tolist() == [RAISED_MONEY, NO_MOVE]
    assert rows["funding"] == pytest.approx([2000.0, 0.0], abs=TOL)
    assert vendors["cash"] == pytest.approx([0.0, 1000.0], abs=TOL)
    assert vendors["months_negative"].tolist() == [0, 0]


def test_a_vendor_living_on_raised_money_cuts_overhead_and_its_usual_share() -> None:
    """Burning 50 $ a month with 500 $ (10 months: above the 6 of the runway, below the 18 a
    raise covers) it raises nothing and cuts overhead 5%, and the share of revenue overhead
    returns to with it, so the cut is not undone as revenue moves."""
    m = market(clients=2, vendors=1)
    mp = m.p.market
    mp["funding_runway"], mp["funding_months"], mp["cost_cut_rate"] = 6.0, 18.0, 0.05
    mp["exit_months"] = 6
    v = m.vendors
    v["cash"], v["revenue_ema"], v["profit_ema"] = 500.0, 100.0, -50.0
    v["overhead"], v["overhead_ratio"] = 1000.0, 10.0
    mind_cash(m.p, m.vendors, 0, m.month)
    assert m.month.vendors[0]["money_reason"].tolist() == [CUT_COSTS]
    assert m.month.vendors[0]["funding"] == pytest.approx([0.0], abs=TOL)
    assert m.vendors[0]["overhead"] == pytest.approx([950.0], rel=TOL)
    assert m.vendors[0]["overhead_ratio"] == pytest.approx([9.5], rel=TOL)
