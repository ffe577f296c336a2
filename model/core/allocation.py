"""Capacity and allocation: what each client actually buys this month.

The first round asks every vendor for `budget_ck x contract share_ckv`; a vendor asked for
more task-hours than its workforce can deliver serves every client the same fraction
(proportional rationing); the money it could not take goes, in `spill_rounds` rounds, to
the vendors with room in proportion to the shares the client wants there. Unserved money
is exactly zero when nobody is rationed, so extra rounds change nothing.
"""

from __future__ import annotations

import numpy as np

from labelmarket.model.core.compiled import rule, step_of_rule

TINY = 1e-300


@rule
def capacity(p, vendors, r, month):
    """Task-hours each vendor's workforce can deliver: month.vendors[r].capacity."""
    for v in range(vendors.shape[1]):
        for k in range(2):
            hours = vendors[r, v].workforce[k] * p.vendor[r, v].hours_per_worker[k]
            month.vendors[r, v].capacity[k] = hours


@rule
def _fill(vendors, r, month, first, asked):
    """Each vendor's tier serves the round's asks (`asked`, $ (V, 2)) up to the capacity
    it has left, every client the same fraction (`fill`); True if any vendor was full."""
    any_full = False
    for v in range(vendors.shape[1]):
        row = month.vendors[r, v]
        for k in range(2):
            hours = asked[v, k] / vendors[r, v].price[k]
            f = row.cap_left[k] / max(hours, TINY) if hours > row.cap_left[k] else 1.0
            row.fill[k] = f
            if first:
                row.requested_hours[k] = hours
                row.served[k] = asked[v, k] * f
            else:
                row.served[k] += asked[v, k] * f
            row.cap_left[k] -= hours * f
            any_full = any_full or f < 1.0
    return any_full


@step_of_rule
def _served(r, c, month, first):
    """Client c gets the fill of what it asked of each vendor's tier this round."""
    rows = month.vendors[r]
    for v in range(month.pairs.shape[2]):
        pair = month.pairs[r, c, v]
        for k in range(2):
            got = pair.want[k] * rows[v].fill[k]
            pair.spend[k] = got if first else pair.spend[k] + got


@step_of_rule
def _spill(r, c, month, asked):
    """What full vendors could not take of client c's asks goes to the vendors with room,
    by its wanted shares there: its asks of the next round, added to `asked`."""
    pairs, rows = month.pairs[r, c], month.vendors[r]
    for k in range(2):
        remaining, total = 0.0, 0.0
        for v in range(pairs.shape[0]):
            pair, fill = pairs[v], rows[v].fill[k]
            remaining += pair.want[k] * (1.0 - fill)
            if fill < 1.0:
                pair.spill[k] = 0.0
            total += pair.spill[k]
        total = total if total > 0 else 1.0
        for v in range(pairs.shape[0]):
            pair = pairs[v]
            pair.want[k] = pair.spill[k] / total * remaining
            asked[v, k] += pair.want[k]


@rule
def allocate(vendors, pairs, rounds, r, month):
    """Spend of each pair after rationing and spill-over: month.pairs[r].spend, requested,
    and each vendor's requested hours and dollars served.

    A round is a fill per vendor, then, client by client, what it got and what it spills
    to the next round (one pass over the pairs a round, in the order they lie in memory).
    """
    n_vendors = vendors.shape[1]
    asked = np.zeros((n_vendors, 2))  # $ asked of each vendor's tier this round
    for c in range(pairs.shape[1]):
        budget = month.clients[r, c].budget
        for v in range(n_vendors):
            out, contracts = month.pairs[r, c, v], pairs[r, c, v].contracts
            for k in range(2):
                ask = contracts[k] * budget[k]
                out.want[k] = ask
                out.requested[k] = ask
                out.spill[k] = out.wanted[k]
                asked[v, k] += ask
    for v in range(n_vendors):
        row = month.vendors[r, v]
        for k in range(2):
            row.cap_left[k] = row.capacity[k]
    for n in range(rounds):
        any_full = _fill(vendors, r, month, n == 0, asked)
        asked[:] = 0.0
        for c in range(pairs.shape[1]):
            _served(r, c, month, n == 0)
            if any_full:
                _spill(r, c, month, asked)
        if not any_full:
            break
