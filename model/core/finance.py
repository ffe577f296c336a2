"""Finances: payments move from clients to vendors, pay and overhead go out, cash binds,
valuations follow profit and growth. Every dollar a client spends is a dollar of some
vendor's revenue.

Costs: contractors are paid per task-hour worked (wage / hours per worker an hour), a
variable cost; the salaried core and platform are overhead, which follows revenue slowly
(its share of revenue at the start, lowered by every cut) and is cut when cash runs short
or while the vendor lives on raised money (investors fund a restructuring, not losses).

Money binds: when cash falls below `funding_runway` months of the current losses (or below
zero), a vendor raises `funding_months` of losses (at least enough to bring cash back to
zero) if investors would put in that much (`max_dilution` of its fundamental value, see
below), or else cuts overhead
(`cost_cut_rate` a month); after `exit_months` months of negative cash it exits (its
contracts end, its workers return to the pool). Each move is recorded with its reason.

Valuation: the operating business's value plus its net cash. The operating value is a
multiple of smoothed annualised revenue; the multiple a vendor deserves rises with growth
and with profitability, base x (recent / year-long revenue)^g x exp(e (margin - margin at
the start, or 0 if that was a loss)), and a vendor losing money is never marked up. A deal
re-marks the multiple at what its price says the operations are worth (post-money less cash,
`model.scenario.events.investment`); the mark then fades toward the fundamental one at
`valuation_reversion` a month. Investors fund a raise against the fundamental value (what
the vendor's growth and margins support, plus its cash), not against a stale mark.
"""

from __future__ import annotations

import math

from labelmarket.model.core.compiled import rule, step_of_rule

YEAR_WEIGHT = 1.0 / 12.0  # weight of the latest month in the year-long averages
NO_MOVE, RAISED_MONEY, CUT_COSTS, EXITED = range(4)
MONEY_REASONS = ("none", "raised money", "cut costs", "exited: cash ran out")


@step_of_rule
def smooth(old, new, weight):
    """Exponential smoothing; a series never seen before (still 0) starts at its value."""
    return new if old == 0 else weight * new + (1.0 - weight) * old


@rule
def pay_bill(p, vendors, r, v, month):
    """Pay for the task-hours worked this month: wage / hours per worker an hour."""
    bill = 0.0
    for k in range(2):
        per_hour = vendors[r, v].wage[k] / p.vendor[r, v].hours_per_worker[k]
        bill += per_hour * month.vendors[r, v].served_hours[k]
    return bill


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


@step_of_rule
def margin_of(vendor):
    """Smoothed operating margin, -1..1 (0 without revenue)."""
    if not vendor.revenue_ema > 0:
        return 0.0
    return min(max(vendor.profit_ema / vendor.revenue_ema, -1.0), 1.0)


@step_of_rule
def fundamental_multiple(p, vendor, r):
    """The revenue multiple the vendor's growth and profitability support."""
    market = p.market[r]
    slow = vendor.revenue_slow
    growth = vendor.revenue_ema / slow if slow > 0 else 1.0
    profitability = market.valuation_margin_elasticity * (margin_of(vendor) - vendor.margin_normal)
    fundamental = vendor.base_multiple * growth**market.valuation_growth_elasticity
    return fundamental * math.exp(profitability)


@rule
def revalue(p, vendor, r):
    """Move the multiple a step toward the one its growth and profitability deserve."""
    market = p.market[r]
    fundamental = fundamental_multiple(p, vendor, r)
    multiple = vendor.valuation_multiple
    if vendor.profit_ema < 0:  # a vendor losing money is not marked up
        fundamental = min(fundamental, multiple)
    vendor.valuation_multiple = multiple + market.valuation_reversion * (fundamental - multiple)


@rule
def settle(p, vendors, r, month):
    """Book this month's revenue and costs, move cash, follow revenue with overhead,
    revalue; into month.vendors[r]."""
    adjust = p.market[r].overhead_adjustment
    for v in range(vendors.shape[1]):
        vendor, row = vendors[r, v], month.vendors[r, v]
        revenue = row.served[0] + row.served[1]
        costs = pay_bill(p, vendors, r, v, month) + vendor.overhead if vendor.active else 0.0
        vendor.cash += revenue - costs
        follow_revenue(p, vendors, r, v, revenue, costs)
        row.overhead = vendor.overhead if vendor.active else 0.0
        usual = vendor.overhead_ratio * vendor.revenue_ema
        vendor.overhead += adjust * (usual - vendor.overhead)
        revalue(p, vendor, r)
        row.revenue = revenue
        row.costs = costs
        going = vendor.valuation_multiple * 12.0 * vendor.revenue_ema + vendor.cash
        row.valuation = going if vendor.active else 0.0  # an exited vendor is worth nothing


@step_of_rule
def cut_overhead(market, vendor, row):
    """Cut overhead, and its usual share of revenue with it (a cut is not undone)."""
    vendor.overhead *= 1.0 - market.cost_cut_rate
    vendor.overhead_ratio *= 1.0 - market.cost_cut_rate
    row.money_reason = CUT_COSTS


@rule
def mind_cash(p, vendors, r, month):
    """Raise money, cut costs or exit when cash runs short (month.vendors[r].money_reason)."""
    market = p.market[r]
    for v in range(vendors.shape[1]):
        vendor, row = vendors[r, v], month.vendors[r, v]
        row.funding, row.money_reason = 0.0, NO_MOVE
        if not vendor.active:
            continue
        vendor.months_negative = vendor.months_negative + 1 if vendor.cash < 0 else 0
        burn = max(-vendor.profit_ema, 0.0)
        if vendor.cash < 0 or vendor.cash < market.funding_runway * burn:
            need = max(market.funding_months * burn, -vendor.cash)
            worth = fundamental_multiple(p, vendor, r) * 12.0 * vendor.revenue_ema + vendor.cash
            if 0 < need <= market.max_dilution * worth:
                vendor.cash += need
                row.funding, row.money_reason = need, RAISED_MONEY
                vendor.months_negative = 0
            else:
                cut_overhead(market, vendor, row)
        elif burn > 0 and vendor.cash < market.funding_months * burn:
            cut_overhead(market, vendor, row)  # living on raised money: investors fund a
            # restructuring, not the losses
        if vendor.months_negative >= market.exit_months:
            vendor.active, vendor.exited = False, True
            for k in range(2):  # its contractors go back to the pool
                vendor.workforce[k] = 0.0
            row.money_reason = EXITED
