"""Labour markets: a finite pool of annotators per market, an outside option, and the supply
each vendor's pay draws from it.

Each tier has its labour markets: generalists of each business model (a crowd contractor
is not hired into an expert network's in-house roles) and one market for experts. In a
market of `N` annotators each chooses an employer or the outside option (other work) by a
logit on log pay (Card, Cardoso, Heining and Kline 2018):

    L_v = N exp(b (ln w_v - ln w_0) + a_v) / (1 + sum_u exp(b (ln w_u - ln w_0) + a_u))

so each vendor faces an upward-sloping supply of elasticity b (1 - L_v / N): monopsony
(Manning 2003; online labour markets: Dube, Jacobs, Naidu and Suri 2020). `a_v` is what
draws annotators to the vendor besides pay, solved at the start so that its supply is its
stated workforce. The pool follows a level that grows at its own pace (`pool_growth`) and
rises with the market's pay against its level at the start, with a finite long-run
elasticity (`entry_elasticity`: people train for and join work that pays, and leave work
that does not), closing `pool_adjustment` of the gap a month; workers a vendor releases go
back to it.
"""

from __future__ import annotations

import math

import numpy as np

from labelmarket.model.core.compiled import rule, step_of_rule

FLOOR = 1e-12


@step_of_rule
def labour_market(structure, v, k):
    """Which labour market vendor v's tier-k workers are in: one per business model for
    generalists, one for every expert (numbered after the models)."""
    return structure.business_model[v] if k == 0 else structure.n_models


@step_of_rule
def tier_of(structure, market):
    """The task tier of a labour market."""
    return 1 if market == structure.n_models else 0


@step_of_rule
def _pull(p, vendors, labour, r, v, k, market):
    """exp(b (ln w - ln w_0) + a): how strongly vendor v draws annotators of its market."""
    b = p.market[r].supply_elasticity[k]
    log_pay = math.log(max(vendors[r, v].wage[k], FLOOR))
    return math.exp(b * (log_pay - labour[r, market].outside_log_pay) + vendors[r, v].attraction[k])


@rule
def labour_supply(p, structure, vendors, labour, r):
    """Each active vendor's labour supply per tier (vendors[r].labour_supply)."""
    total = np.ones(labour.shape[1])  # the outside option's own weight: exp(0)
    for v in range(vendors.shape[1]):
        if vendors[r, v].active:
            for k in range(2):
                market = labour_market(structure, v, k)
                total[market] += _pull(p, vendors, labour, r, v, k, market)
    for v in range(vendors.shape[1]):
        for k in range(2):
            supply = 0.0
            if vendors[r, v].active:
                market = labour_market(structure, v, k)
                pull = _pull(p, vendors, labour, r, v, k, market)
                supply = labour[r, market].pool * pull / total[market]
            vendors[r, v].labour_supply[k] = supply


@rule
def mean_log_pay(structure, vendors, r, market):
    """Employment-weighted mean log pay of the active vendors of a labour market."""
    total, weight = 0.0, 0.0
    for v in range(vendors.shape[1]):
        if vendors[r, v].active:
            for k in range(2):
                if labour_market(structure, v, k) == market:
                    w = vendors[r, v].workforce[k]
                    total += w * math.log(max(vendors[r, v].wage[k], FLOOR))
                    weight += w
    return total / weight if weight > 0 else math.nan


@rule
def grow_pools(p, structure, vendors, labour, r):
    """Each pool moves toward its trend level times (pay / pay at the start)^elasticity."""
    market_p = p.market[r]
    for market in range(labour.shape[1]):
        k, pool = tier_of(structure, market), labour[r, market]
        pool.trend *= math.exp(market_p.pool_growth[k])
        log_pay = mean_log_pay(structure, vendors, r, market)
        premium = 0.0 if math.isnan(log_pay) else log_pay - pool.outside_log_pay
        level = pool.trend * math.exp(market_p.entry_elasticity[k] * premium)
        pool.pool += market_p.pool_adjustment * (level - pool.pool)


@rule
def settle_pools(p, structure, vendors, labour, r):
    """The start: each pool sized from the stated workforces and the outside share, the
    outside pay at the market's mean, and each vendor's attraction solved so that its
    supply is its stated workforce."""
    for market in range(labour.shape[1]):
        k = tier_of(structure, market)
        employed = 0.0
        for v in range(vendors.shape[1]):
            if vendors[r, v].active and labour_market(structure, v, k) == market:
                employed += vendors[r, v].workforce[k]
        outside = p.market[r].outside_share[k]
        labour[r, market].pool = employed / (1.0 - outside)
        labour[r, market].trend = labour[r, market].pool
        log_pay = mean_log_pay(structure, vendors, r, market)
        labour[r, market].outside_log_pay = 0.0 if math.isnan(log_pay) else log_pay
    for v in range(vendors.shape[1]):
        for k in range(2):
            market = labour_market(structure, v, k)
            pool, outside = labour[r, market].pool, p.market[r].outside_share[k]
            share = vendors[r, v].workforce[k] / (pool * outside) if pool > 0 else 0.0
            b = p.market[r].supply_elasticity[k]
            log_pay = math.log(max(vendors[r, v].wage[k], FLOOR))
            gap = b * (log_pay - labour[r, market].outside_log_pay)
            vendors[r, v].attraction[k] = math.log(max(share, FLOOR)) - gap
