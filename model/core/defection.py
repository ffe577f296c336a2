"""Defections: a client defects from a vendor when the vendor's share of its spend falls, within
the defection window, by at least the client's threshold of the share it held there (half
of it by default), from a share above the floor (trial shares do not count). So a large cut
at a small share counts, and a small drift at a large one does not. A defection is counted
once per episode: the pair defects again only after its share has recovered (to at least
1 - threshold of the share it held before). Each is attributed to the
cause whose removal would have kept the most share, by counterfactuals on the choice:
the client's wanted share at the vendor is recomputed with one input set back to what it
was when the fall began (its beliefs about quality, prices, the conflicts of interest, the
task mix of its budget); capacity is the share the vendor could not serve this month; a
pause or exit event that blocked the pair is a script, not a choice; a vendor whose cash ran
out left the market (`vendor exit`). When nothing in the
window explains the fall (contracts still running down after an older change), the causes
are looked for over the last year.
"""

from __future__ import annotations

import math

import numpy as np

from labelmarket.model.core.choice import logit
from labelmarket.model.core.compiled import rule
from labelmarket.model.core.state import TERM_NAMES

QUALITY, PRICE, CONFLICT, CAPACITY, TASK_MIX, PAUSE, VENDOR_EXIT = range(len(TERM_NAMES))
EXPLAINED = 1e-6  # least share a cause must recover to explain a fall
EXPLAINED_SHARE = 0.1  # ... and at least this share of the fall (else look further back)


@rule
def remember(state_pairs, vendors, rings, t, r, month):
    """Keep this month's choice inputs in the rings: beliefs, prices, conflicts, task mix.

    Called before beliefs learn from this month's deliveries: these are what it chose on.
    """
    slot = t % rings.month.shape[1]
    rings.month[r, slot] = t
    for v in range(vendors.shape[1]):
        for k in range(2):
            rings.vendors[r, slot, v].log_price[k] = math.log(vendors[r, v].price[k])
    for c in range(rings.clients.shape[2]):
        budget, kept = month.clients[r, c].budget, rings.clients[r, slot, c]
        total = budget[0] + budget[1]
        total = total if total > 0 else 1.0
        for k in range(2):
            kept.weight[k] = budget[k] / total
        for v in range(vendors.shape[1]):
            pair = rings.pairs[r, slot, c, v]
            pair.conflict = month.pairs[r, c, v].conflict
            for k in range(2):
                pair.belief[k] = state_pairs[r, c, v].belief_mean[k]


@rule
def _wanted_at(p, state_pairs, rings, month, r, c, v, now, cause, then):
    """Client c's wanted share of its spend at vendor v with one input (`cause`) taken from
    ring slot `then` and the rest from slot `now` (cause -1: none set back)."""
    b_q, b_p = p.client[r, c].quality_sensitivity, p.client[r, c].price_sensitivity
    beliefs = rings.pairs[r, then if cause == QUALITY else now, c]
    conflicts = rings.pairs[r, then if cause == CONFLICT else now, c]
    prices = rings.vendors[r, then if cause == PRICE else now]
    weight = rings.clients[r, then if cause == TASK_MIX else now, c].weight
    sides, n_vendors = month.pairs[r, c], month.pairs.shape[2]
    u, w, open_ = np.empty(n_vendors), np.empty(n_vendors), np.empty(n_vendors, np.uint8)
    kept = 0.0
    for k in range(2):
        for x in range(n_vendors):
            fit = state_pairs[r, c, x].match + sides[x].owner[k] - conflicts[x].conflict
            u[x] = b_q * beliefs[x].belief[k] - b_p * prices[x].log_price[k] + fit
            open_[x] = sides[x].open[k]
        logit(u, open_, w)
        kept += w[v] * weight[k]
    return kept


@rule
def attribute(p, state_pairs, rings, month, r, c, v, now, then, least):
    """The cause of a defection: the input whose return to slot `then` recovers the most
    share; -1 when none recovers at least `least`."""
    base = _wanted_at(p, state_pairs, rings, month, r, c, v, now, -1, then)
    best, cause = max(least, EXPLAINED), -1
    for j in (QUALITY, PRICE, CONFLICT, CAPACITY, TASK_MIX):
        if j == CAPACITY:  # the share of its budget asked there but not served
            pair, budget = month.pairs[r, c, v], month.clients[r, c].budget
            asked = (pair.requested[0] - pair.spend[0]) + (pair.requested[1] - pair.spend[1])
            recovered = asked / max(budget[0] + budget[1], 1e-300)
        else:
            recovered = _wanted_at(p, state_pairs, rings, month, r, c, v, now, j, then) - base
        if recovered > best:
            best, cause = recovered, j
    return cause


@rule
def detect(p, structure, vendors, state_pairs, rings, t, r, month):
    """Find this month's defections (month.pairs[r]: defected, driver, share_before; and
    month.clients[r].defections, how many each client made) and roll the share ring."""
    length = rings.month.shape[1]
    window = structure.defection_window
    now, before = t % length, (t - window) % length
    for c in range(month.pairs.shape[1]):
        spent = month.clients[r, c].spend > 0
        spent_before = rings.clients[r, before, c].spent
        threshold = p.client[r, c].defection_threshold
        floor = p.market[r].defection_floor
        month.clients[r, c].defections = 0
        for v in range(month.pairs.shape[2]):
            out, pair = month.pairs[r, c, v], state_pairs[r, c, v]
            was = rings.pairs[r, before, c, v].share
            if pair.episode > 0 and out.vendor_share >= (1.0 - threshold) * pair.episode:
                pair.episode = 0.0  # the share recovered: a new fall is a new defection
            found = (
                t >= window and spent and spent_before and was >= floor and pair.episode == 0
                and was - out.vendor_share >= threshold * was
            )  # fmt: skip
            out.defected = found
            if not found:
                continue
            month.clients[r, c].defections += 1
            cause = -1
            for back in (window, length - 1):
                then = (t - back) % length
                if cause < 0 and back <= t and rings.month[r, then] == t - back:
                    least = EXPLAINED_SHARE * (was - out.vendor_share)
                    cause = attribute(p, state_pairs, rings, month, r, c, v, now, then, least)
            cause = CAPACITY if cause < 0 else cause
            out.driver = PAUSE if pair.blocked else cause
            if vendors[r, v].exited:
                out.driver = VENDOR_EXIT
            out.share_before = was
            pair.last_defection = t
            pair.episode = was
        rings.clients[r, now, c].spent = spent  # the client's ring rolls (read above first)
        for v in range(month.pairs.shape[2]):
            rings.pairs[r, now, c, v].share = month.pairs[r, c, v].vendor_share
