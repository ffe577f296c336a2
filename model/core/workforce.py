"""Workforce: at the start of each month vendors staff for the work they were asked for last
month, within the labour their pay draws. Pools are head-counts per tier, never negative,
and every change is recorded by its cause.

    target   T = last month's requested task-hours / (hours per worker x normal utilisation)
             (experts: x (1 + boost x expert push), recruiting ahead of demand)
    quits    attrition x W (replaced as far as the work needs and the supply allows)
    poached  poaching rate x (W - quits - labour supply), the workers its pay no longer holds
    hires    toward min(T, labour supply): quits replaced, then a share `hiring_rate` of the
             rest of the gap a month, capped by recruiting capacity
    layoffs  layoff rate x (staff beyond T): contractors released when work falls

Contractors are paid per task-hour worked (`model.core.finance`), so idle ones cost little;
the normal utilisation is the vendor's own at the start, so a stated workforce is one the
rules keep. Decisions read last month's figures: a fall in work this month shows in
staffing next month (partial adjustment of employment: Hamermesh 1993).
"""

from __future__ import annotations

from labelmarket.model.core.compiled import rule, step_of_rule

LEAST_UTILISATION = 0.05  # below it, a tier is staffed as if at this utilisation


@step_of_rule
def staff_target(p, vendors, r, v, k, hours):
    """Workers vendor v's tier k needs for `hours` task-hours (and its expert push)."""
    vendor = vendors[r, v]
    normal = max(vendor.util_normal[k], LEAST_UTILISATION)
    target = hours / (p.vendor[r, v].hours_per_worker[k] * normal)
    if k == 1:
        target *= 1.0 + p.vendor[r, v].push_hiring_boost * vendor.push
    return target


@rule
def staff(p, vendors, r, month):
    """Move each vendor's tier pools toward the workers last month's work needs."""
    poaching = p.market[r].poaching_rate
    for v in range(vendors.shape[1]):
        vendor, vp, row = vendors[r, v], p.vendor[r, v], month.vendors[r, v]
        on = 1.0 if vendor.active else 0.0
        for k in range(2):
            pool, supply = vendor.workforce[k], vendor.labour_supply[k]
            target = staff_target(p, vendors, r, v, k, vendor.requested_hours[k])
            quits = pool * vp.attrition_rate[k]
            poached = poaching * max(pool - quits - supply, 0.0)
            stay = pool - quits - poached
            gap = max(min(target, supply) - stay, 0.0)
            replace = min(quits, gap)
            cap = vp.recruiting_capacity[k] * max(pool, vendor.recruit_base[k])
            hires = min(replace + vendor.hiring_rate[k] * (gap - replace), cap)
            layoffs = vp.layoff_rate[k] * max(stay - target, 0.0)
            if vendor.active:
                vendor.workforce[k] = max(stay + hires - layoffs, 0.0)
            row.hires[k] = hires * on
            row.quits[k] = quits * on
            row.poached[k] = poached * on
            row.layoffs[k] = layoffs * on
            row.staff_target[k] = target
            row.labour_supply[k] = supply
