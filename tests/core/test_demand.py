"""model.core.demand on hand-computed cases: the budget path (growth that halves every H
months) and its noise, the expert share on a logistic toward its ceiling."""

from __future__ import annotations

import math

import numpy as np
import pytest

from labelmarket.model.core.demand import tier_budgets
from tests.core.arrays import market

TOL = 1e-12


def _budgets(t: int, noise, shift: float = 0.0, factor: float = 1.0) -> np.ndarray:
    """Month t's (C, 2) budgets of two clients: 1000 $ growing 10% a month at first, the
    growth halving every 12 months; expert share 0.2 of a ceiling 0.8 rising one log-odds a
    year; client 1 sees the given shift and budget factor."""
    m = market(clients=2, vendors=2)
    m.p.market["budget_growth_halflife"] = 12.0
    m.p.market["budget_noise"] = 0.2
    m.p.client["budget"] = 1000.0
    m.p.client["budget_growth"] = 0.1
    m.p.client["expert_share"] = 0.2
    m.p.client["expert_share_ceiling"] = 0.8
    m.p.client["expert_trend"] = 1.0
    m.clients["budget_factor"] = [[1.0, factor]]
    m.clients["expert_shift"] = [[0.0, shift]]
    tier_budgets(m.p, m.clients, t, np.asarray(noise, dtype=float), 0, m.month)
    return m.month.clients["budget"][0]


def test_budget_grows_at_a_rate_that_halves_every_h_months_with_mean_one_noise() -> None:
    """B_t = B_0 exp(ln(1 + g) H / ln 2 (1 - 2^(-t/H))) f exp(sigma z - sigma^2 / 2): after
    one half-life (t = H = 12) the budget has grown ln(1.1) x 6 / ln 2 in logs; it levels
    off at ln(1.1) x 12 / ln 2."""
    grown = 1000 * math.exp(math.log(1.1) * 6 / math.log(2))
    budgets = _budgets(12, [0.0, 1.0], factor=0.5)
    assert budgets[0].sum() == pytest.approx(grown * math.exp(-0.02), rel=TOL)
    assert budgets[1].sum() == pytest.approx(grown * 0.5 * math.exp(0.2 - 0.02), rel=TOL)
    ceiling = 1000 * math.exp(math.log(1.1) * 12 / math.log(2)) * math.exp(-0.02)
    assert _budgets(1200, [0.0, 0.0])[0].sum() == pytest.approx(ceiling, rel=1e-12)


def test_expert_share_follows_a_logistic_toward_its_ceiling() -> None:
    """logit(e_t / m) = logit(e_0 / m) + trend t / 12 + shift: 0.2 of a 0.8 ceiling is a
    quarter of the way, log-odds ln(1/3), one more after a year."""
    start = _budgets(0, [0.0, 0.0])
    assert start[0, 1] / start[0].sum() == pytest.approx(0.2, rel=TOL)
    year = _budgets(12, [0.0, 0.0], shift=-1.0)
    expert = 0.8 / (1 + math.exp(-(math.log(1 / 3) + 1.0)))
    assert year[0, 1] / year[0].sum() == pytest.approx(expert, rel=TOL)
    assert year[1, 1] / year[1].sum() == pytest.approx(0.2, rel=TOL)  # the shift undoes it
    far = _budgets(600, [0.0, 0.0])  # fifty years on: the ceiling, not all of it
    assert far[0, 1] / far[0].sum() == pytest.approx(0.8, rel=1e-9)
