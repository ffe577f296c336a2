"""Demand: each client's budget this month, split between generalist and expert work.

    B_ct = B_c0 exp(ln(1 + g_c) H / ln 2 (1 - 2^(-t/H))) f_ct exp(sigma z_ct - sigma^2 / 2)
    logit(e_ct / m_c) = logit(e_c0 / m_c) + trend_c t / 12 + shift_ct

the monthly growth `g_c` halves every `H` months from the start (`budget_growth_halflife`:
budgets cannot grow 30-50% a year for ever; before the start it is `g_c`); `f` and `shift`
are what demand-shift and pause events set; the log-normal shock has mean one, so noise
moves a month's budget but not its path; the expert share rises along a logistic toward
its ceiling `m_c` (some volume work always remains). Budgets are exogenous: a client's
labelling spend does not respond to prices (see `docs/model.md`).
"""

from __future__ import annotations

import math

from labelmarket.model.core.compiled import rule


@rule
def tier_budgets(p, clients, t, noise, r, month):
    """Month t's generalist and expert dollars per client into month.clients[r].budget;
    `noise` (C,) holds the month's standard-normal budget shocks (zeros: none)."""
    sigma = p.market[r].budget_noise
    half = p.market[r].budget_growth_halflife
    span = float(t)  # months of growth at g_c so far; before the start (spin-up) at g_c itself
    if t > 0:
        span = half / math.log(2.0) * (1.0 - 0.5 ** (t / half))
    for c in range(len(noise)):
        cp, state = p.client[r, c], clients[r, c]
        total = (
            cp.budget
            * math.exp(math.log1p(cp.budget_growth) * span)
            * state.budget_factor
            * math.exp(sigma * noise[c] - 0.5 * sigma * sigma)
        )
        ceiling = cp.expert_share_ceiling
        s0 = min(cp.expert_share / ceiling, 1.0 - 1e-12)
        logit = math.log(s0 / (1.0 - s0)) + cp.expert_trend * (t / 12.0)
        expert = ceiling / (1.0 + math.exp(-(logit + state.expert_shift)))
        budget = month.clients[r, c].budget
        budget[0] = total * (1.0 - expert)
        budget[1] = total * expert
