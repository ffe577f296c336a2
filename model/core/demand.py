"""Demand: each client's budget this month, split between generalist and expert work.

    B_ct = B_c0 (1 + g_c)^t f_ct exp(sigma z_ct - sigma^2 / 2)
    logit(e_ct / m_c) = logit(e_c0 / m_c) + trend_c t / 12 + shift_ct

`f` and `shift` are what demand-shift and pause events set; the log-normal shock has mean
one, so noise moves a month's budget but not its path; the expert share rises along a
logistic toward its ceiling `m_c` (some volume work always remains). Budgets are
exogenous: a client's labelling spend does not respond to prices (see `docs/model.md`).
"""

from __future__ import annotations

import math

from labelmarket.model.core.compiled import rule


@rule
def tier_budgets(p, clients, t, noise, r, month):
    """Month t's generalist and expert dollars per client into month.clients[r].budget;
    `noise` (C,) holds the month's standard-normal budget shocks (zeros: none)."""
    sigma = p.market[r].budget_noise
    for c in range(len(noise)):
        cp, state = p.client[r, c], clients[r, c]
        total = (
            cp.budget
            * (1.0 + cp.budget_growth) ** t
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
