"""The levels a quiet market reads as normal, set from the first month played without noise.

Called by the start-up (`model.core.startup`) once the fits are solved and month 0 has been
played: whatever a rule compares against (utilisation, labour supply, the price a vendor's
costs and demand call for, overhead's share of revenue, margins, expert shares) is set so
that this month is a rest point of the rules.
"""

from __future__ import annotations

import math

from labelmarket.model.core.compiled import rule
from labelmarket.model.core.finance import margin_of, pay_bill
from labelmarket.model.core.labour import labour_supply, settle_pools
from labelmarket.model.core.signals import markup

ENTRANT_UTILISATION = 0.8  # what a vendor not yet in business staffs for when it enters
MAX_OVERHEAD_RATIO = 10.0  # overhead's usual share of revenue at most (a start with almost none)


@rule
def _normal_utilisation(vendors, r, month):
    """Each vendor's utilisation in month 0 (entrants: the mean of those in business)."""
    for k in range(2):
        total, n = 0.0, 0
        for v in range(vendors.shape[1]):
            vendor, row = vendors[r, v], month.vendors[r, v]
            capacity = row.capacity[k]
            util = min(row.requested_hours[k] / capacity, 1.0) if capacity > 0 else 0.0
            vendor.util_normal[k] = util
            vendor.util_ema[k] = util
            vendor.requested_hours[k] = row.requested_hours[k]
            if vendor.active and capacity > 0:
                total, n = total + util, n + 1
        for v in range(vendors.shape[1]):
            if not vendors[r, v].active:
                vendors[r, v].util_normal[k] = total / n if n > 0 else ENTRANT_UTILISATION


@rule
def _price_positions(p, vendors, r, month):
    """Each vendor's price position: its stated price over cost times markup."""
    mean_b = 0.0
    for c in range(p.client.shape[1]):
        mean_b += p.client[r, c].price_sensitivity / p.client.shape[1]
    for v in range(vendors.shape[1]):
        vendor, row = vendors[r, v], month.vendors[r, v]
        for k in range(2):
            cost = vendor.wage[k] / p.vendor[r, v].hours_per_worker[k]
            mu = markup(row, k)
            if math.isnan(mu):  # nobody wants the tier yet: a small entrant's markup
                mu = 1.0 + 1.0 / max(mean_b, 1e-3)
            vendor.cost_anchor[k] = math.log(max(cost, 1e-12))
            vendor.markup_anchor[k] = math.log(mu)
            vendor.position[k] = math.log(vendor.price[k]) - vendor.markup_anchor[k]
            vendor.position[k] -= vendor.cost_anchor[k]


@rule
def _books(p, vendors, trend, r, month):
    """Revenue, costs, margins and expert shares of month 0, as their usual levels."""
    expert, total = 0.0, 0.0
    for v in range(vendors.shape[1]):
        vendor, row = vendors[r, v], month.vendors[r, v]
        revenue = row.served[0] + row.served[1]
        costs = pay_bill(p, vendors, r, v, month) + vendor.overhead
        vendor.revenue_ema = revenue
        vendor.revenue_slow = revenue
        vendor.profit_ema = revenue - costs if vendor.active else 0.0
        ratio = vendor.overhead / revenue if revenue > 0 else 0.0
        vendor.overhead_ratio = min(ratio, MAX_OVERHEAD_RATIO)
        vendor.margin_normal = max(margin_of(vendor), 0.0)  # losses are never normal
        vendor.expert_share = row.served[1] / revenue if revenue > 0 else 0.0
        vendor.expert_share_start = vendor.expert_share
        for k in range(2):
            vendor.wage_start[k] = vendor.wage[k]
            vendor.quality_target[k] = vendor.quality[k]
        expert += row.served[1]
        total += revenue
    trend[r].expert_share = expert / total if total > 0 else 0.0
    trend[r].expert_share_start = trend[r].expert_share


@rule
def set_anchors(p, structure, vendors, trend, labour, r, month):
    """Every level a rule reads as normal, from month 0 played without noise."""
    _normal_utilisation(vendors, r, month)
    settle_pools(p, structure, vendors, labour, r)
    labour_supply(p, structure, vendors, labour, r)
    _price_positions(p, vendors, r, month)
    _books(p, vendors, trend, r, month)
