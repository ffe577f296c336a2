"""What vendors observe before they decide: smoothed series and this month's signals.

After the month is settled every vendor updates the series its strategies read (its
utilisation, its own and the market's expert share of spend, the hours its clients asked
for) and reads its signals: the price its costs and the elasticity of its demand call for,
the gap between the staff its work needs and the labour its pay draws, how far the market
moved to expert work beyond it. Each is measured against the level at the start
(`model.core.startup`), so a quiet market moves nothing.
"""

from __future__ import annotations

import math

import numpy as np

from labelmarket.model.core.compiled import rule, step_of_rule
from labelmarket.model.core.finance import smooth
from labelmarket.model.core.strategies.base import SIGNALS
from labelmarket.model.core.workforce import staff_target

MAX_MARKUP = 20.0  # price over marginal cost when almost nobody minds price


def empty_signals(replicates: int, vendors: int) -> np.ndarray:
    """Signal records of a batch, (R, V), to be filled by `read_signals`."""
    return np.zeros((replicates, vendors), SIGNALS)


@step_of_rule
def markup(row, k):
    """Price over marginal cost a logit demand of this elasticity allows: e / (e - 1), with
    e = 1 + spend-weighted b_p (1 - P) (NaN when nobody wants the tier)."""
    if not row.demand[k] > 0:
        return math.nan
    elastic = row.demand_elasticity[k] / row.demand[k]  # e - 1
    return min(1.0 + 1.0 / elastic, MAX_MARKUP) if elastic > 0 else MAX_MARKUP


@rule
def observe(p, vendors, trend, r, month):
    """Update the series the signals read from this month's outcome."""
    a = p.market[r].revenue_smoothing
    expert, total = 0.0, 0.0
    for v in range(vendors.shape[1]):
        vendor, row = vendors[r, v], month.vendors[r, v]
        for k in range(2):
            capacity = row.capacity[k]
            util = row.served_hours[k] / capacity if capacity > 0 else 0.0
            vendor.util_ema[k] = smooth(vendor.util_ema[k], util, a)
            vendor.requested_hours[k] = row.requested_hours[k]
        revenue = row.served[0] + row.served[1]
        if revenue > 0:
            vendor.expert_share = smooth(vendor.expert_share, row.served[1] / revenue, a)
        expert += row.served[1]
        total += revenue
    if total > 0:
        trend[r].expert_share = smooth(trend[r].expert_share, expert / total, a)


@rule
def read_signals(p, vendors, trend, r, month, signals):
    """Fill every vendor's signals from the state and this month's demand."""
    market_shift = trend[r].expert_share - trend[r].expert_share_start
    for v in range(vendors.shape[1]):
        vendor, row, s = vendors[r, v], month.vendors[r, v], signals[r, v]
        for k in range(2):
            log_wage = math.log(max(vendor.wage[k], 1e-12))
            log_cost = log_wage - math.log(p.vendor[r, v].hours_per_worker[k])
            mu = markup(row, k)
            log_markup = vendor.markup_anchor[k] if math.isnan(mu) else math.log(mu)
            s.log_price[k] = math.log(vendor.price[k])
            s.log_cost[k] = log_cost
            s.target_price[k] = vendor.position[k] + log_markup + log_cost
            s.cost_change[k] = log_cost - vendor.cost_anchor[k]
            s.markup_change[k] = log_markup - vendor.markup_anchor[k]
            s.capacity_gap[k] = max(vendor.util_ema[k] - vendor.util_normal[k], 0.0)
            s.log_wage[k] = log_wage
            needed = staff_target(p, vendors, r, v, k, row.requested_hours[k])
            s.staff_gap[k] = math.log(max(needed, 1e-9) / max(vendor.labour_supply[k], 1e-9))
        own_shift = vendor.expert_share - vendor.expert_share_start
        s.expert_gap = max(market_shift - own_shift, 0.0)
        s.push = vendor.push
        s.push_floor = vendor.push_floor
