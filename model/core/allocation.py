"""Capacity and allocation: what each client actually buys this month.

The first round asks every vendor for `budget_ck x contract share_ckv`; a vendor asked for
more task-hours than its workforce can deliver serves every client the same fraction
(proportional rationing); the money it could not take goes, in `spill_rounds` rounds, to
the vendors with room in proportion to the shares the client wants there. Unserved money
is exactly zero when nobody is rationed, so extra rounds change nothing.
"""

from __future__ import annotations

from labelmarket.model.core.compiled import rule

TINY = 1e-300


@rule
def capacity(p, vendors, r, month):
    """Task-hours each vendor's workforce can deliver: month.vendors[r].capacity."""
    for v in range(vendors.shape[1]):
        for k in range(2):
            hours = vendors[r, v].workforce[k] * p.vendor[r, v].hours_per_worker[k]
            month.vendors[r, v].capacity[k] = hours


@rule
def _serve_round(vendors, r, month, first):
    """Serve one round of asks against the capacity left; True if any vendor was full."""
    pairs, rows = month.pairs[r], month.vendors[r]
    n_clients, n_vendors = pairs.shape[0], pairs.shape[1]
    any_full = False
    for v in range(n_vendors):
        row = rows[v]
        for k in range(2):
            dollars = 0.0
            for c in range(n_clients):
                dollars += pairs[c, v].want[k]
            hours = dollars / vendors[r, v].price[k]
            f = row.cap_left[k] / max(hours, TINY) if hours > row.cap_left[k] else 1.0
            row.fill[k] = f
            if first:
                row.requested_hours[k] = hours
                row.served[k] = dollars * f
            else:
                row.served[k] += dollars * f
            row.cap_left[k] -= hours * f
            any_full = any_full or f < 1.0
    for c in range(n_clients):
        for v in range(n_vendors):
            pair = pairs[c, v]
            for k in range(2):
                got = pair.want[k] * rows[v].fill[k]
                pair.spend[k] = got if first else pair.spend[k] + got
    return any_full


@rule
def _spill(r, month):
    """Money the full vendors could not take goes to those with room, by wanted shares."""
    pairs, rows = month.pairs[r], month.vendors[r]
    for c in range(pairs.shape[0]):
        for k in range(2):
            remaining, total = 0.0, 0.0
            for v in range(pairs.shape[1]):
                pair, fill = pairs[c, v], rows[v].fill[k]
                remaining += pair.want[k] * (1.0 - fill)
                if fill < 1.0:
                    pair.spill[k] = 0.0
                total += pair.spill[k]
            total = total if total > 0 else 1.0
            for v in range(pairs.shape[1]):
                pair = pairs[c, v]
                pair.want[k] = pair.spill[k] / total * remaining


@rule
def allocate(vendors, pairs, rounds, r, month):
    """Spend of each pair after rationing and spill-over: month.pairs[r].spend, requested,
    and each vendor's requested hours and dollars served."""
    for c in range(pairs.shape[1]):
        budget = month.clients[r, c].budget
        for v in range(pairs.shape[2]):
            out, contracts = month.pairs[r, c, v], pairs[r, c, v].contracts
            for k in range(2):
                asked = contracts[k] * budget[k]
                out.want[k] = asked
                out.requested[k] = asked
                out.spill[k] = out.wanted[k]
    for v in range(vendors.shape[1]):
        row = month.vendors[r, v]
        for k in range(2):
            row.cap_left[k] = row.capacity[k]
    for n in range(rounds):
        if not _serve_round(vendors, r, month, n == 0):
            break
        _spill(r, month)
