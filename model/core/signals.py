"""What vendors observe before they decide: smoothed series and signals against the start.

After the month is settled every vendor updates the smoothed series its strategies read
(utilisation, staffing shortfall, its share of each tier's spend, its generalist revenue,
the market's expert demand) and reads its signals, each against the level where the rules
settled before the start (`model.core.startup`), so that a quiet market moves nothing.
"""

from __future__ import annotations

import math

import numpy as np

from labelmarket.model.core.compiled import rule
from labelmarket.model.core.finance import YEAR_WEIGHT, smooth
from labelmarket.model.core.strategies.base import SIGNALS
from labelmarket.model.core.workforce import labour_market


def empty_signals(replicates: int, vendors: int) -> np.ndarray:
    """Signal records of a batch, (R, V), to be filled by `read_signals`."""
    return np.zeros((replicates, vendors), SIGNALS)


@rule
def ratio_fall(fast, slow):
    """How far a recent average fell below a longer one, 0..1 (0 for a series never seen)."""
    if not slow > 0:
        return 0.0
    return min(max(1.0 - fast / slow, 0.0), 1.0)


@rule
def losing(vendor):
    """A vendor's smoothed losses over smoothed revenue, 0..1 (0 while making money)."""
    if not vendor.revenue_ema > 0:
        return 0.0
    return min(max(-vendor.profit_ema / vendor.revenue_ema, 0.0), 1.0)


@rule
def observe(p, vendors, trend, r, month):
    """Update the smoothed series the signals read from this month's outcome."""
    a = p.market[r].revenue_smoothing
    rows = month.vendors[r]
    for k in range(2):
        total = 0.0
        for v in range(vendors.shape[1]):
            total += rows[v].served[k]
        for v in range(vendors.shape[1]):
            vendor, row = vendors[r, v], rows[v]
            capacity = row.capacity[k]
            util = row.served_hours[k] / max(capacity, 1e-12) if capacity > 0 else 0.0
            vendor.util_ema[k] = smooth(vendor.util_ema[k], util, a)
            target = row.staff_target[k]
            short = (target - vendor.workforce[k]) / max(target, 1e-9)
            old = vendor.shortage_ema[k]
            vendor.shortage_ema[k] = a * short + (1 - a) * old if target > 0 else 0.0
            share = row.served[k] / max(total, 1e-300)
            vendor.share_fast[k] = smooth(vendor.share_fast[k], share, a)
            vendor.share_slow[k] = smooth(vendor.share_slow[k], share, YEAR_WEIGHT)
    expert = 0.0
    for v in range(vendors.shape[1]):
        vendor, generalist = vendors[r, v], rows[v].served[0]
        vendor.generalist_fast = smooth(vendor.generalist_fast, generalist, a)
        vendor.generalist_slow = smooth(vendor.generalist_slow, generalist, YEAR_WEIGHT)
        expert += rows[v].served[1]
    trend[r].expert_fast = smooth(trend[r].expert_fast, expert, a)
    trend[r].expert_slow = smooth(trend[r].expert_slow, expert, YEAR_WEIGHT)


@rule
def mean_log_price(vendors, r, k):
    """Mean log price of the active vendors in tier k."""
    total, n = 0.0, 0
    for v in range(vendors.shape[1]):
        if vendors[r, v].active:
            total += math.log(vendors[r, v].price[k])
            n += 1
    return total / max(n, 1)


@rule
def peer_log_wages(structure, vendors, r):
    """Mean log pay (markets + 1,) of the active vendors of each labour market."""
    total = np.zeros(structure.n_models + 1)
    count = np.zeros(structure.n_models + 1)
    for v in range(vendors.shape[1]):
        if vendors[r, v].active:
            for k in range(2):
                market = labour_market(structure, v, k)
                total[market] += math.log(max(vendors[r, v].wage[k], 1e-12))
                count[market] += 1.0
    for market in range(len(total)):
        total[market] /= max(count[market], 1.0)
    return total


@rule
def read_signals(p, structure, vendors, trend, r, signals):
    """Fill every vendor's signals from the state, each against its settled level."""
    slow = trend[r].expert_slow
    growth = trend[r].expert_fast / (slow if slow > 0 else 1.0) - 1.0
    peer = peer_log_wages(structure, vendors, r)
    for k in range(2):
        market_log_price = mean_log_price(vendors, r, k)
        for v in range(vendors.shape[1]):
            vendor, s = vendors[r, v], signals[r, v]
            log_price = math.log(vendor.price[k])
            log_wage = math.log(max(vendor.wage[k], 1e-12))
            s.log_price[k] = log_price
            s.price_gap[k] = log_price - market_log_price - vendor.price_anchor[k]
            s.utilisation_gap[k] = vendor.util_ema[k] - vendor.util_normal[k]
            s.share_loss[k] = ratio_fall(vendor.share_fast[k], vendor.share_slow[k])
            s.log_cost_floor[k] = log_wage - math.log(p.vendor[r, v].hours_per_worker[k])
            s.log_wage[k] = log_wage
            market_pay = peer[labour_market(structure, v, k)]
            s.wage_gap[k] = log_wage - market_pay - vendor.wage_anchor[k]
            s.shortage_gap[k] = vendor.shortage_ema[k] - vendor.shortage_normal[k]
    for v in range(vendors.shape[1]):
        vendor, s = vendors[r, v], signals[r, v]
        s.losing = max(losing(vendor) - vendor.losing_normal, 0.0)
        s.decline = ratio_fall(vendor.generalist_fast, vendor.generalist_slow)
        s.expert_growth = max(growth, 0.0)
        s.push = vendor.push
