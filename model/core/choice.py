"""Choice: the shares of each tier's budget a client wants at each vendor.

A multinomial logit over the vendors open to the client, tier by tier:

    U_ckv = b_q belief_ckv - b_p ln(p_vk (1 - s_cv m_vk)) + m_cv - b_c x_cv (f + (1 - f) sal_cv)
    P_ckv = exp(U_ckv) / sum_v' exp(U_ckv')

`ln p` makes `b_p` an elasticity, comparable between the cheap generalist tier and the
expensive expert tier. A client holding a stake `s` in a vendor gets back that share of the
vendor's margin `m` (1 - pay per task-hour / price) on what it buys there, so it weighs the
price net of it (cash-flow rights: O'Brien and Salop 2000); it still chooses on the quality
it believes. `m_cv` is the client-vendor fit the observed starting shares reveal
(`model.core.startup`). The conflict weighs the rivals' ownership `x` the client sees, each
lab by its own `b_c`, in full when new (salience 1), then fading to a floor `f` held as
long as the stake is.
"""

from __future__ import annotations

import math

import numpy as np

from labelmarket.model.core.compiled import rule, step_of_rule

MOST_REBATE = 1.0 - 1e-9  # an owner of all of a vendor that costs nothing still pays a little


@step_of_rule
def _open_to(p, vendors, pairs, r, c, month):
    """Which vendor's tier client c can buy this month: month.pairs[r, c].open."""
    for v in range(month.pairs.shape[2]):
        available = vendors[r, v].active and not pairs[r, c, v].blocked
        for k in range(2):
            staffed = vendors[r, v].workforce[k] * p.vendor[r, v].hours_per_worker[k] > 0
            month.pairs[r, c, v].open[k] = 1 if available and staffed else 0


@rule
def open_vendors(p, vendors, pairs, r, month):
    """Which vendor's tier each client can buy this month: month.pairs[r].open."""
    for c in range(month.pairs.shape[1]):
        _open_to(p, vendors, pairs, r, c, month)


@step_of_rule
def margin(p, vendors, r, v, k):
    """Vendor v's price-cost margin per task-hour in tier k, 0..1."""
    cost = vendors[r, v].wage[k] / p.vendor[r, v].hours_per_worker[k]
    return min(max(1.0 - cost / vendors[r, v].price[k], 0.0), 1.0)


@step_of_rule
def _side_terms_of(p, vendors, pairs, r, c, month):
    """The month's ownership (per tier) and conflict utilities of client c's pairs."""
    floor = p.market[r].conflict_floor
    b_c = p.client[r, c].conflict_sensitivity
    b_p = p.client[r, c].price_sensitivity
    for v in range(month.pairs.shape[2]):
        pair, out = pairs[r, c, v], month.pairs[r, c, v]
        for k in range(2):
            out.owner[k] = 0.0
            if pair.cash_flow > 0:  # an owner gets back its share of the margin
                rebate = min(pair.cash_flow * margin(p, vendors, r, v, k), MOST_REBATE)
                out.owner[k] = -b_p * math.log(1.0 - rebate)
        out.conflict = b_c * pair.exposure * (floor + (1.0 - floor) * pair.salience)


@rule
def side_terms(p, vendors, pairs, r, month):
    """The month's ownership (per tier) and conflict utilities of each client-vendor pair."""
    for c in range(month.pairs.shape[1]):
        _side_terms_of(p, vendors, pairs, r, c, month)


@rule
def log_prices(vendors, r, month):
    """Each vendor's log price per tier, into month.vendors[r].log_price."""
    for v in range(vendors.shape[1]):
        for k in range(2):
            month.vendors[r, v].log_price[k] = math.log(vendors[r, v].price[k])


@step_of_rule
def logit(u, open_, w):
    """Logit shares w (V,) of utilities u (V,) over the vendors `open_` (V,) marks (closed
    ones get 0)."""
    top = -math.inf
    for v in range(len(u)):
        if open_[v] and u[v] > top:
            top = u[v]
    top = top if top > -math.inf else 0.0
    total = 0.0
    for v in range(len(u)):
        w[v] = math.exp(u[v] - top) if open_[v] else 0.0
        total += w[v]
    total = total if total > 0 else 1.0
    for v in range(len(u)):
        w[v] = w[v] / total


@step_of_rule
def utilities(p, pairs, r, c, k, month, u, open_):
    """Client c's utility of each vendor's tier k (u) and which vendors are open (open_)."""
    b_q, b_p = p.client[r, c].quality_sensitivity, p.client[r, c].price_sensitivity
    state, sides, rows = pairs[r, c], month.pairs[r, c], month.vendors[r]
    for v in range(len(u)):
        pair, side = state[v], sides[v]
        fit = pair.match + side.owner[k] - side.conflict
        u[v] = b_q * pair.belief_mean[k] - b_p * rows[v].log_price[k] + fit
        open_[v] = side.open[k]


@step_of_rule
def _clear_demand(r, month):
    """No demand faced yet this month: month.vendors[r].demand and its elasticity weight."""
    for v in range(month.vendors.shape[1]):
        for k in range(2):
            month.vendors[r, v].demand[k] = 0.0
            month.vendors[r, v].demand_elasticity[k] = 0.0


@step_of_rule
def _shares_of(p, pairs, r, c, month, u, w, open_):
    """The shares of each tier's budget client c wants (month.pairs[r, c].wanted), added to
    the demand each vendor faces: dollars wanted there and their b_p (1 - P) weight."""
    b_p = p.client[r, c].price_sensitivity
    wanted, rows = month.pairs[r, c], month.vendors[r]
    for k in range(2):
        utilities(p, pairs, r, c, k, month, u, open_)
        logit(u, open_, w)
        budget = month.clients[r, c].budget[k]
        for v in range(len(u)):
            share = w[v]
            wanted[v].wanted[k] = share
            rows[v].demand[k] += budget * share
            rows[v].demand_elasticity[k] += budget * share * b_p * (1.0 - share)


@rule
def wanted_shares(p, vendors, pairs, r, month):
    """The shares of each tier's budget each client wants (month.pairs[r].wanted), and the
    demand each vendor faces: dollars wanted there and their spend-weighted b_p (1 - P),
    from which its pricing reads the elasticity of its demand."""
    log_prices(vendors, r, month)
    _clear_demand(r, month)
    n_vendors = month.vendors.shape[1]
    u, w, open_ = np.empty(n_vendors), np.empty(n_vendors), np.empty(n_vendors, np.uint8)
    for c in range(month.pairs.shape[1]):
        _shares_of(p, pairs, r, c, month, u, w, open_)


@step_of_rule
def keep_open_of(pairs, r, c, month):
    """A pause cancels contracts at once: client c's book of each tier re-spread over its
    open vendors."""
    for k in range(2):
        total, closed = 0.0, False
        for v in range(pairs.shape[2]):
            if month.pairs[r, c, v].open[k]:
                total += pairs[r, c, v].contracts[k]
            else:
                closed = True
        if not closed:
            continue
        total = total if total > 0 else 1.0
        for v in range(pairs.shape[2]):
            book = pairs[r, c, v].contracts
            book[k] = book[k] / total if month.pairs[r, c, v].open[k] else 0.0


@rule
def choose_vendors(p, vendors, pairs, r, month):
    """Every client's choice this month, client by client (one pass over the pairs): which
    vendors are open to it, its side terms, the shares it wants, contracts a pause ends."""
    log_prices(vendors, r, month)
    _clear_demand(r, month)
    n_vendors = month.vendors.shape[1]
    u, w, open_ = np.empty(n_vendors), np.empty(n_vendors), np.empty(n_vendors, np.uint8)
    for c in range(month.pairs.shape[1]):
        _open_to(p, vendors, pairs, r, c, month)
        _side_terms_of(p, vendors, pairs, r, c, month)
        _shares_of(p, pairs, r, c, month, u, w, open_)
        keep_open_of(pairs, r, c, month)
