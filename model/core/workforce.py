"""Workforce: vendors hire toward demand, lose workers to attrition and to better-paying
rivals, lay off idle workers while they lose money. Pools are head-counts per skill tier,
never negative, and every change is recorded by its cause.

Labour markets: experts move between any vendors, so expert pay is compared across the
whole market; generalists compete within their business model (crowd contractors against
crowd platforms, an expert network's in-house generalists against its peers), since a crowd
contractor is not hired into an expert network's generalist roles. Hiring is a partial
adjustment toward the staff the requested work needs (plus a buffer), slowed by paying
below the best rival, sped up by an expert push, and capped by recruiting capacity: a
vendor cannot add more than a share of its pool in a month.
"""

from __future__ import annotations

import numpy as np

from labelmarket.model.core.compiled import rule


@rule
def labour_market(structure, v, k):
    """Which labour market vendor v's tier-k workers are in: one per business model for
    generalists, one for every expert (numbered after the models)."""
    return structure.business_model[v] if k == 0 else structure.n_models


@rule
def best_pay(structure, vendors, r):
    """The best pay (markets + 1,) of the active vendors in each labour market."""
    best = np.zeros(structure.n_models + 1)
    for v in range(vendors.shape[1]):
        if vendors[r, v].active:
            for k in range(2):
                market = labour_market(structure, v, k)
                best[market] = max(best[market], vendors[r, v].wage[k])
    return best


@rule
def staff(p, structure, vendors, r, month):
    """Move each vendor's tier pools toward the workers this month's demand needs."""
    market = p.market[r]
    best = best_pay(structure, vendors, r)  # pay only: nobody moves before all have counted
    for v in range(vendors.shape[1]):
        vendor, vp, row = vendors[r, v], p.vendor[r, v], month.vendors[r, v]
        on = 1.0 if vendor.active else 0.0
        for k in range(2):
            top = best[labour_market(structure, v, k)]
            relative = vendor.wage[k] / max(top, 1e-12) if top > 0 else 1.0
            pool = vendor.workforce[k]
            quits = pool * vp.attrition_rate[k]
            poached = pool * market.poaching_rate * (1.0 - relative)
            after = pool - quits - poached
            target = row.requested_hours[k] * (1.0 + market.capacity_buffer)
            target /= vp.hours_per_worker[k]
            gap = target - after
            slowed = 1.0 if relative == 1.0 else relative**market.hiring_wage_elasticity
            speed = vendor.hiring_rate[k] * slowed
            if k == 1:
                speed *= 1.0 + vp.push_hiring_boost * vendor.push
            cap = vp.recruiting_capacity[k] * max(pool, vendor.recruit_base[k])
            hires = min(speed * max(gap, 0.0), cap)
            losing = 1.0 if vendor.profit_ema < 0 else 0.0
            layoffs = vp.layoff_rate[k] * max(-gap, 0.0) * losing
            if vendor.active:
                vendor.workforce[k] = max(after + hires - layoffs, 0.0)
            row.hires[k] = hires * on
            row.quits[k] = quits * on
            row.poached[k] = poached * on
            row.layoffs[k] = layoffs * on
            row.staff_target[k] = target
