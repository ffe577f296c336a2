"""One month of the market, for every replicate at once: the rules both drivers share.

Order within a month (events dated this month have applied before, in Python):
  choose    demand; the shares clients want (logit), the demand each vendor faces; a pause
            or an exit cancels contracts;
  renew     contracts up for renewal move toward the wanted shares (a client policy);
  deliver   each vendor's labour supply at its pay; staffing from last month's work;
            capacity and allocation with rationing and spill-over; clients learn from
            deliveries; payments, costs, cash and valuations; quality drift; vendors
            observe, mind their cash (raise, cut or exit) and read their signals;
  decide    each vendor's policies set next month's price, pay and expert push;
  close     the decisions apply; defections are found and attributed; conflicts fade;
            labour pools grow.
`advance` runs the five phases for a range of replicates in one compiled call; the Mesa
driver calls them one by one when one of its agents renews or decides in Python. Random
shocks come from each replicate's own stream, so a replicate's numbers never depend on
which batch, thread or driver ran it.
"""

from __future__ import annotations

from labelmarket.model.core.allocation import allocate, capacity
from labelmarket.model.core.choice import choose_vendors
from labelmarket.model.core.compiled import over_replicates, rule
from labelmarket.model.core.decisions import apply_decisions, decide_all
from labelmarket.model.core.defection import detect, remember
from labelmarket.model.core.demand import tier_budgets
from labelmarket.model.core.finance import EXITED, mind_cash, settle
from labelmarket.model.core.labour import grow_pools, labour_supply
from labelmarket.model.core.learning import drift_quality, update_beliefs
from labelmarket.model.core.signals import observe, read_signals
from labelmarket.model.core.strategies.switching import renewed
from labelmarket.model.core.workforce import staff


def shocks_per_month(n_clients: int, n_vendors: int) -> int:
    """Standard-normal draws a replicate uses each month: deliveries, then budgets."""
    return n_clients * n_vendors * 2 + n_clients


@rule
def choose(p, vendors, clients, pairs, t, noise, r, month):
    """Demand and the shares each client wants; `noise` is the month's shocks (K,)."""
    n_clients = clients.shape[1]
    tier_budgets(p, clients, t, noise[len(noise) - n_clients :], r, month)
    choose_vendors(p, vendors, pairs, r, month)


@rule
def renew_all(p, pairs, r, month):
    """Every client renews its contracts by the default policy."""
    for c in range(pairs.shape[1]):
        rho = p.client[r, c].contract_renewal
        for v in range(pairs.shape[2]):
            book = pairs[r, c, v].contracts
            renewed(book, month.pairs[r, c, v].wanted, rho, book)


@rule
def _keep_state(vendors, r, month):
    """What the month records of the state, before next month's decisions change it."""
    for v in range(vendors.shape[1]):
        vendor, row = vendors[r, v], month.vendors[r, v]
        for k in range(2):
            row.workforce[k] = vendor.workforce[k]
            row.wage[k] = vendor.wage[k]
            row.price[k] = vendor.price[k]
            row.quality[k] = vendor.quality[k]
        row.push = vendor.push
        row.cash = vendor.cash
        row.active = vendor.active or row.money_reason == EXITED  # its last month counts


@rule
def _client_totals(r, month):
    """Each client's spend, unserved budget and each vendor's share of its spend."""
    for c in range(month.pairs.shape[1]):
        total = 0.0
        for v in range(month.pairs.shape[2]):
            spend = month.pairs[r, c, v].spend
            total += spend[0] + spend[1]
        client = month.clients[r, c]
        client.spend = total
        client.unserved = client.budget[0] + client.budget[1] - total
        safe = total if total > 0 else 1.0
        for v in range(month.pairs.shape[2]):
            pair = month.pairs[r, c, v]
            pair.vendor_share = (pair.spend[0] + pair.spend[1]) / safe


@rule
def deliver(p, structure, vendors, pairs, trend, labour, rings, t, noise, r, month, signals):
    """Staffing, allocation, learning, finances, quality, cash and the vendors' signals."""
    labour_supply(p, structure, vendors, labour, r)
    staff(p, vendors, r, month)
    capacity(p, vendors, r, month)
    allocate(vendors, pairs, structure.spill_rounds, r, month)
    remember(pairs, vendors, rings, t, r, month)
    update_beliefs(p, vendors, pairs, r, month, noise)
    for v in range(vendors.shape[1]):
        row = month.vendors[r, v]
        for k in range(2):
            row.served_hours[k] = row.served[k] / vendors[r, v].price[k]
    settle(p, vendors, r, month)
    drift_quality(p, vendors, r)
    observe(p, vendors, trend, r, month)
    mind_cash(p, vendors, r, month)
    _keep_state(vendors, r, month)
    _client_totals(r, month)
    read_signals(p, vendors, trend, r, month, signals)


@rule
def close(p, structure, vendors, pairs, labour, rings, t, r, month, decided):
    """Decisions apply, defections are found, conflicts fade while nothing leaks, pools
    grow."""
    apply_decisions(vendors, decided, r)
    detect(p, structure, vendors, pairs, rings, t, r, month)
    fade = 0.5 ** (1.0 / p.market[r].conflict_half_life)
    for c in range(pairs.shape[1]):
        for v in range(pairs.shape[2]):
            pairs[r, c, v].salience *= fade
    grow_pools(p, structure, vendors, labour, r)


@over_replicates
def advance(p, structure, vendors, clients, pairs, trend, labour, rings, t, shocks, j, month,
            signals, decided, first, last):  # fmt: skip
    """Month t, all five phases, for replicates first..last; `shocks[r, j]` are r's."""
    for r in range(first, last):
        noise = shocks[r, j]
        choose(p, vendors, clients, pairs, t, noise, r, month)
        renew_all(p, pairs, r, month)
        deliver(p, structure, vendors, pairs, trend, labour, rings, t, noise, r, month, signals)
        decide_all(p, structure, signals, r, decided)
        close(p, structure, vendors, pairs, labour, rings, t, r, month, decided)


@over_replicates
def choose_phase(p, vendors, clients, pairs, t, shocks, j, month, first, last):
    """The choose phase (the Mesa driver's first call of a month)."""
    for r in range(first, last):
        choose(p, vendors, clients, pairs, t, shocks[r, j], r, month)


@over_replicates
def deliver_phase(p, structure, vendors, pairs, trend, labour, rings, t, shocks, j, month,
                  signals, first, last):  # fmt: skip
    """The deliver phase."""
    for r in range(first, last):
        noise = shocks[r, j]
        deliver(p, structure, vendors, pairs, trend, labour, rings, t, noise, r, month, signals)


@over_replicates
def close_phase(p, structure, vendors, pairs, labour, rings, t, month, decided, first, last):
    """The close phase."""
    for r in range(first, last):
        close(p, structure, vendors, pairs, labour, rings, t, r, month, decided)
