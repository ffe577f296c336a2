"""The start: a world begins where its own rules settle, so nothing moves without a cause.

Before the first reported month the observed relationships run for `spin_up_months`
(the scenario's `current_vendors`, demand growing into the first month's level as it will
grow after it, no events, no noise): clients learn each vendor's quality from what it
delivers them, vendors staff to the work their clients send, and the smoothed series that
strategies read settle. Then:
- every signal a vendor reads is measured against these settled levels (anchors), so a
  quiet market asks no price or pay change;
- each client-vendor fit (`match`) is solved so that the logit choice, with the settled
  beliefs and the starting prices, wants exactly the observed shares (Berry's inversion,
  as demand models calibrate product intercepts to market shares). A vendor a client does
  not use keeps a trial share; a vendor entering later gets the fit of those. The fits
  are solved half-way through the spin-up too, so that vendors staff for the choice's own
  split of each client's spend across tiers, not for the observed total alone.
The start is deterministic, so it is computed once and copied to every replicate whose
parameters are the same.
"""

from __future__ import annotations

import math

import numpy as np

from labelmarket.model.core.allocation import allocate, capacity
from labelmarket.model.core.choice import (
    keep_open_contracts,
    log_prices,
    logit,
    open_vendors,
    side_terms,
    wanted_shares,
)
from labelmarket.model.core.compiled import over_replicates, rule
from labelmarket.model.core.demand import tier_budgets
from labelmarket.model.core.finance import costs_of, follow_revenue
from labelmarket.model.core.learning import drift_quality, update_beliefs
from labelmarket.model.core.signals import losing, mean_log_price, observe, peer_log_wages
from labelmarket.model.core.workforce import labour_market, staff

MATCH_ITERATIONS = 500
MATCH_TOLERANCE = 1e-9  # in log share: far below any share a table shows


@rule
def settle_month(p, structure, vendors, clients, pairs, trend, t, r, month, quiet):
    """One month of the observed relationships (no choice, no events, no noise): contracts
    are served as they stand, clients learn, vendors staff and observe."""
    tier_budgets(p, clients, t, quiet[: clients.shape[1]], r, month)
    open_vendors(p, vendors, pairs, r, month)
    keep_open_contracts(pairs, r, month)
    capacity(p, vendors, r, month)
    allocate(vendors, pairs, 1, r, month)
    update_beliefs(p, vendors, pairs, r, month, quiet)
    for v in range(vendors.shape[1]):
        row = month.vendors[r, v]
        for k in range(2):
            row.served_hours[k] = row.served[k] / vendors[r, v].price[k]
        follow_revenue(p, vendors, r, v, row.served[0] + row.served[1], costs_of(p, vendors, r, v))
    staff(p, structure, vendors, r, month)
    drift_quality(p, vendors, r)
    observe(p, vendors, trend, r, month)


@rule
def _base_utilities(p, pairs, r, month, base, weight):
    """Utility of each pair and tier without the fit (C, V, 2) and the tiers' budget
    weights (C, 2) in month 0."""
    for c in range(base.shape[0]):
        budget = month.clients[r, c].budget
        total = budget[0] + budget[1]
        b_q, b_p = p.client[r, c].quality_sensitivity, p.client[r, c].price_sensitivity
        for k in range(2):
            weight[c, k] = budget[k] / (total if total > 0 else 1.0)
            for v in range(base.shape[1]):
                side = month.pairs[r, c, v].owner - month.pairs[r, c, v].conflict
                log_price = month.vendors[r, v].log_price[k]
                base[c, v, k] = b_q * pairs[r, c, v].belief_mean[k] - b_p * log_price + side


@rule
def _fit_step(observed, pairs, r, month, base, weight, step, predicted):
    """One step of Berry's inversion: ln observed - ln predicted share per pair (C, V);
    returns the largest step. `predicted` (V,) is a working array."""
    largest = 0.0
    for c in range(base.shape[0]):
        predicted[:] = 0.0
        for k in range(2):
            for v in range(base.shape[1]):
                month.vendors[r, v].u = base[c, v, k] + pairs[r, c, v].match
            logit(r, c, k, month)
            for v in range(base.shape[1]):
                predicted[v] += month.vendors[r, v].w * weight[c, k]
        for v in range(base.shape[1]):
            if observed[r, c, v] > 0:
                gap = math.log(observed[r, c, v]) - math.log(max(predicted[v], 1e-300))
                step[c, v] = gap
                largest = max(largest, abs(gap))
    return largest


@rule
def solve_match(p, vendors, clients, pairs, observed, r, month, iterations, quiet):
    """Fits under which the wanted shares are the observed ones; set the contracts.

    The observed shares are of the first month's spend, so the tiers weigh as they do then.
    """
    n_clients, n_vendors = observed.shape[1], observed.shape[2]
    tier_budgets(p, clients, 0, quiet[:n_clients], r, month)
    open_vendors(p, vendors, pairs, r, month)
    side_terms(p, pairs, r, month)
    log_prices(vendors, r, month)
    base, weight = np.zeros((n_clients, n_vendors, 2)), np.zeros((n_clients, 2))
    _base_utilities(p, pairs, r, month, base, weight)
    for c in range(n_clients):  # start from the exact answer for one tier, weighted by budget
        for v in range(n_vendors):
            share = observed[r, c, v]
            mixed = base[c, v, 0] * weight[c, 0] + base[c, v, 1] * weight[c, 1]
            pairs[r, c, v].match = math.log(share) - mixed if share > 0 else 0.0
    step, predicted = np.zeros((n_clients, n_vendors)), np.zeros(n_vendors)
    for _ in range(iterations):
        if _fit_step(observed, pairs, r, month, base, weight, step, predicted) < MATCH_TOLERANCE:
            break
        for c in range(n_clients):
            for v in range(n_vendors):
                if observed[r, c, v] > 0:
                    pairs[r, c, v].match += step[c, v]
    _entrant_fit(vendors, pairs, observed, r)
    wanted_shares(p, vendors, pairs, r, month)
    for c in range(n_clients):
        for v in range(n_vendors):
            for k in range(2):
                pairs[r, c, v].contracts[k] = month.pairs[r, c, v].wanted[k]


@rule
def _entrant_fit(vendors, pairs, observed, r):
    """Fit of vendors not in business yet: the mean fit of the vendors a client only tries."""
    for c in range(observed.shape[1]):
        least = math.inf
        for v in range(observed.shape[2]):
            if observed[r, c, v] > 0:
                least = min(least, observed[r, c, v])
        total, n = 0.0, 0
        for v in range(observed.shape[2]):
            share = observed[r, c, v]
            if share > 0 and abs(share - least) <= 1e-8 + 1e-5 * abs(least):
                total += pairs[r, c, v].match
                n += 1
        for v in range(observed.shape[2]):
            if not vendors[r, v].active:
                pairs[r, c, v].match += total / max(n, 1)


@rule
def _set_anchors(structure, vendors, trend, r):
    """Every signal's settled level: what a quiet market reads as normal."""
    peer = peer_log_wages(structure, vendors, r)
    for k in range(2):
        market_log_price = mean_log_price(vendors, r, k)
        for v in range(vendors.shape[1]):
            vendor = vendors[r, v]
            vendor.util_normal[k] = vendor.util_ema[k]
            vendor.shortage_normal[k] = vendor.shortage_ema[k]
            vendor.price_anchor[k] = math.log(vendor.price[k]) - market_log_price
            log_wage = math.log(max(vendor.wage[k], 1e-12))
            vendor.wage_anchor[k] = log_wage - peer[labour_market(structure, v, k)]
            vendor.wage_start[k] = vendor.wage[k]
            vendor.quality_target[k] = vendor.quality[k]
            vendor.share_slow[k] = vendor.share_fast[k]
    for v in range(vendors.shape[1]):
        vendor = vendors[r, v]
        vendor.generalist_slow = vendor.generalist_fast
        vendor.revenue_slow = vendor.revenue_ema
        vendor.losing_normal = losing(vendor)
    trend[r].expert_slow = trend[r].expert_fast


@rule
def _fill_rings(rings, r, shares):
    """Defection history as if the settled month had always been: shares (C, V)."""
    for c in range(shares.shape[0]):
        total = 0.0
        for v in range(shares.shape[1]):
            total += shares[c, v]
        safe = total if total > 0 else 1.0
        for slot in range(rings.month.shape[1]):
            rings.clients[r, slot, c].spent = total > 0
            for v in range(shares.shape[1]):
                rings.pairs[r, slot, c, v].share = shares[c, v] / safe


@rule
def start_one(p, structure, vendors, clients, pairs, trend, rings, observed, r, month):
    """Run replicate r's spin-up, set the anchors and solve the fits: its month 0."""
    months = structure.spin_up_months
    n_clients, n_vendors = clients.shape[1], vendors.shape[1]
    quiet = np.zeros(n_clients * n_vendors * 2 + n_clients)
    for t in range(-months, 0):
        if t == -(months // 2):  # the choice's own split across tiers, staffed for
            solve_match(p, vendors, clients, pairs, observed, r, month, 5, quiet)
        settle_month(p, structure, vendors, clients, pairs, trend, t, r, month, quiet)
    spent = np.zeros((n_clients, n_vendors))  # the last settled month's spend by pair
    for c in range(n_clients):
        for v in range(n_vendors):
            spent[c, v] = month.pairs[r, c, v].spend[0] + month.pairs[r, c, v].spend[1]
    _set_anchors(structure, vendors, trend, r)
    solve_match(p, vendors, clients, pairs, observed, r, month, MATCH_ITERATIONS, quiet)
    _fill_rings(rings, r, spent)


@over_replicates
def start(p, structure, vendors, clients, pairs, trend, rings, observed, month, first, last):
    """Month 0 of replicates first..last (each stops solving on its own: batch-independent)."""
    for r in range(first, last):
        start_one(p, structure, vendors, clients, pairs, trend, rings, observed, r, month)
