"""The start: a world begins as its scenario states it, at rest under its own rules.

Before the first reported month the observed relationships run for `spin_up_months` (the
scenario's `current_vendors`, demand growing into the first month's level as it will grow
after it, no events, no noise, workforces as stated): clients learn each vendor's quality
from what it delivers them. Then:
- each client-vendor fit (`match`) is solved so that the logit choice, with the settled
  beliefs and the starting prices, wants exactly the observed shares (Berry's inversion,
  as demand models calibrate product intercepts to market shares). A vendor a client does
  not use keeps a trial share; a vendor entering later gets the fit of those. The fits are
  solved half-way through the spin-up too, so that clients learn from the choice's own
  split of their spend across tiers;
- the first month is played out without noise, and every level a rule reads as normal is
  set from it: each vendor's utilisation (it staffs for it: the stated workforce is the
  one its work needs), its labour supply (each vendor's attraction is solved so that its
  pay draws its stated workforce from a pool sized by the outside share), its price
  position (the stated price is its target: cost times markup times position), its
  overhead's share of revenue and its margin, the market's expert share. So month 0
  spends every budget the stated capacity allows and nothing moves without a cause.
The start is deterministic, so it is computed once and copied to every replicate whose
parameters are the same.
"""

from __future__ import annotations

import math

import numpy as np

from labelmarket.model.core.allocation import allocate, capacity
from labelmarket.model.core.anchors import set_anchors
from labelmarket.model.core.choice import (
    choose_vendors,
    log_prices,
    logit,
    open_vendors,
    side_terms,
    wanted_shares,
)
from labelmarket.model.core.compiled import over_replicates, rule
from labelmarket.model.core.demand import tier_budgets
from labelmarket.model.core.learning import update_beliefs

MATCH_ITERATIONS = 500
MATCH_TOLERANCE = 1e-9  # in log share: far below any share a table shows


@rule
def play_month(p, structure, vendors, clients, pairs, t, r, month, quiet, rounds):
    """Month t of the relationships as they stand, without noise: budgets, contracts served
    (with `rounds` rounds of rationing), clients learn."""
    tier_budgets(p, clients, t, quiet[: clients.shape[1]], r, month)
    choose_vendors(p, vendors, pairs, r, month)
    capacity(p, vendors, r, month)
    allocate(vendors, pairs, rounds, r, month)
    update_beliefs(p, vendors, pairs, r, month, quiet)
    for v in range(vendors.shape[1]):
        row = month.vendors[r, v]
        for k in range(2):
            row.served_hours[k] = row.served[k] / vendors[r, v].price[k]


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
                side = month.pairs[r, c, v].owner[k] - month.pairs[r, c, v].conflict
                log_price = month.vendors[r, v].log_price[k]
                base[c, v, k] = b_q * pairs[r, c, v].belief_mean[k] - b_p * log_price + side


@rule
def _first_fits(observed, sides, base, weight, match, log_observed, is_open):
    """The inversion's start: the exact fits for one tier, weighted by budget (match), with
    ln observed shares and which tiers are open to each client, all (C, V[, 2])."""
    for c in range(base.shape[0]):
        for v in range(base.shape[1]):
            share = observed[c, v]
            mixed = base[c, v, 0] * weight[c, 0] + base[c, v, 1] * weight[c, 1]
            log_observed[c, v] = math.log(share) if share > 0 else 0.0
            match[c, v] = math.log(share) - mixed if share > 0 else 0.0
            for k in range(2):
                is_open[c, v, k] = sides[c, v].open[k]


@rule
def _fit_step(log_observed, observed, match, is_open, base, weight, step, predicted):
    """One step of Berry's inversion: ln observed - ln predicted share per pair (C, V);
    returns the largest step. `predicted` (V,) is a working array."""
    largest = 0.0
    n_vendors = base.shape[1]
    u, w, open_ = np.empty(n_vendors), np.empty(n_vendors), np.empty(n_vendors, np.uint8)
    for c in range(base.shape[0]):
        predicted[:] = 0.0
        for k in range(2):
            for v in range(n_vendors):
                u[v] = base[c, v, k] + match[c, v]
                open_[v] = is_open[c, v, k]
            logit(u, open_, w)
            for v in range(n_vendors):
                predicted[v] += w[v] * weight[c, k]
        for v in range(base.shape[1]):
            if observed[c, v] > 0:
                gap = log_observed[c, v] - math.log(max(predicted[v], 1e-300))
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
    side_terms(p, vendors, pairs, r, month)
    log_prices(vendors, r, month)
    base, weight = np.zeros((n_clients, n_vendors, 2)), np.zeros((n_clients, 2))
    _base_utilities(p, pairs, r, month, base, weight)
    # the steps work on arrays of their own (the fits, ln observed shares, open tiers), read
    # in order, and the fits are written back to the pairs once solved
    match, log_observed = np.zeros((n_clients, n_vendors)), np.zeros((n_clients, n_vendors))
    is_open = np.zeros((n_clients, n_vendors, 2), np.uint8)
    _first_fits(observed[r], month.pairs[r], base, weight, match, log_observed, is_open)
    step, predicted = np.zeros((n_clients, n_vendors)), np.zeros(n_vendors)
    for _ in range(iterations):
        largest = _fit_step(log_observed, observed[r], match, is_open, base, weight, step,
                            predicted)  # fmt: skip
        if largest < MATCH_TOLERANCE:
            break
        for c in range(n_clients):
            for v in range(n_vendors):
                if observed[r, c, v] > 0:
                    match[c, v] += step[c, v]
    for c in range(n_clients):
        for v in range(n_vendors):
            pairs[r, c, v].match = match[c, v]
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
def _fill_rings(rings, r, month):
    """Defection history as if month 0 had always been: each vendor's share of spend."""
    for c in range(month.pairs.shape[1]):
        total = 0.0
        for v in range(month.pairs.shape[2]):
            total += month.pairs[r, c, v].spend[0] + month.pairs[r, c, v].spend[1]
        safe = total if total > 0 else 1.0
        for slot in range(rings.month.shape[1]):
            rings.clients[r, slot, c].spent = total > 0
            for v in range(month.pairs.shape[2]):
                pair = month.pairs[r, c, v]
                rings.pairs[r, slot, c, v].share = (pair.spend[0] + pair.spend[1]) / safe


@rule
def start_one(p, structure, vendors, clients, pairs, trend, labour, rings, observed, r, month):
    """Replicate r's spin-up, fits and normal levels: its month 0."""
    months = structure.spin_up_months
    n_clients, n_vendors = clients.shape[1], vendors.shape[1]
    quiet = np.zeros(n_clients * n_vendors * 2 + n_clients)
    for t in range(-months, 0):
        if t == -(months // 2):  # clients learn from the choice's own split across tiers
            solve_match(p, vendors, clients, pairs, observed, r, month, 5, quiet)
        play_month(p, structure, vendors, clients, pairs, t, r, month, quiet, 1)
    solve_match(p, vendors, clients, pairs, observed, r, month, MATCH_ITERATIONS, quiet)
    beliefs = pairs[r].copy()  # month 0 is played to read its levels, not to learn from
    play_month(p, structure, vendors, clients, pairs, 0, r, month, quiet,
               structure.spill_rounds)  # fmt: skip
    pairs[r] = beliefs
    set_anchors(p, structure, vendors, trend, labour, r, month)
    _fill_rings(rings, r, month)


@over_replicates
def start(p, structure, vendors, clients, pairs, trend, labour, rings, observed, month, first,
          last):  # fmt: skip
    """Month 0 of replicates first..last (each stops solving on its own: batch-independent)."""
    for r in range(first, last):
        start_one(p, structure, vendors, clients, pairs, trend, labour, rings, observed, r,
                  month)  # fmt: skip
