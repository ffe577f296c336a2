"""Finances: payments move from clients to vendors, wages and overheads go out, valuations
follow revenue and growth. Every dollar a client spends is a dollar of some vendor's revenue.

The valuation is a multiple of smoothed annualised revenue. The multiple a vendor deserves
at steady revenue (its base) rises with growth: base x (recent / year-long revenue)^e. A
deal re-marks the multiple at the deal's price (`model.scenario.events.investment`); the
mark then fades toward the fundamental multiple at `valuation_reversion` a month, so a
vendor that loses its clients after a stake is valued on the revenue it still has.
"""

from __future__ import annotations

from labelmarket.model.core.compiled import rule

YEAR_WEIGHT = 1.0 / 12.0  # weight of the latest month in the year-long averages


@rule
def smooth(old, new, weight):
    """Exponential smoothing; a series never seen before (still 0) starts at its value."""
    return new if old == 0 else weight * new + (1.0 - weight) * old


@rule
def costs_of(p, vendors, r, v):
    """A vendor's monthly costs: pay of its workforce and overhead (none before entry)."""
    vendor = vendors[r, v]
    if not vendor.active:
        return 0.0
    wages = vendor.workforce[0] * vendor.wage[0] + vendor.workforce[1] * vendor.wage[1]
    return wages + p.vendor[r, v].overhead


@rule
def follow_revenue(p, vendors, r, v, revenue, costs):
    """Update the smoothed revenue (recent and year-long) and smoothed profit."""
    a = p.market[r].revenue_smoothing
    vendor = vendors[r, v]
    fresh = vendor.revenue_ema == 0
    vendor.revenue_ema = smooth(vendor.revenue_ema, revenue, a)
    vendor.revenue_slow = smooth(vendor.revenue_slow, revenue, YEAR_WEIGHT)
    profit = revenue - costs
    vendor.profit_ema = profit if fresh else a * profit + (1 - a) * vendor.profit_ema


@rule
def settle(p, vendors, r, month):
    """Book this month's revenue and costs, move cash, revalue; into month.vendors[r]."""
    g = p.market[r].valuation_growth_elasticity
    step = p.market[r].valuation_reversion
    for v in range(vendors.shape[1]):
        vendor, row = vendors[r, v], month.vendors[r, v]
        revenue = row.served[0] + row.served[1]
        costs = costs_of(p, vendors, r, v)
        vendor.cash += revenue - costs
        follow_revenue(p, vendors, r, v, revenue, costs)
        slow = vendor.revenue_slow
        growth = vendor.revenue_ema / slow if slow > 0 else 1.0
        fundamental = vendor.base_multiple * growth**g
        multiple = vendor.valuation_multiple
        vendor.valuation_multiple = multiple + step * (fundamental - multiple)
        row.revenue = revenue
        row.costs = costs
        row.valuation = vendor.valuation_multiple * 12.0 * vendor.revenue_ema
