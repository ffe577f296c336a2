"""model.core.strategies.switching on a hand-computed case: a share rho of the contracts
moves to the wanted shares, the rest stays."""

from __future__ import annotations

import numpy as np
import pytest

from labelmarket.model.core.strategies.switching import renewed

TOL = 1e-12


def test_renewed_contracts_are_one_minus_rho_kept_plus_rho_wanted() -> None:
    """c' = (1 - rho) c + rho P per tier: (0.6, 0.4) toward (0.2, 0.9) at rho 0.25."""
    out = np.empty(2)
    renewed(np.array([0.6, 0.4]), np.array([0.2, 0.9]), 0.25, out)
    assert out == pytest.approx([0.75 * 0.6 + 0.25 * 0.2, 0.75 * 0.4 + 0.25 * 0.9], rel=TOL)


def test_a_clients_book_still_sums_to_one_over_its_vendors() -> None:
    """Renewing each of three vendors' contracts (C = 1) keeps each tier's book summing to 1
    when the contracts and the wanted shares each do."""
    contracts = np.array([[0.5, 0.1], [0.3, 0.2], [0.2, 0.7]])
    wanted = np.array([[0.1, 0.6], [0.1, 0.3], [0.8, 0.1]])
    book = np.empty_like(contracts)
    for v in range(3):
        renewed(contracts[v], wanted[v], 0.4, book[v])
    assert book[:, 0] == pytest.approx([0.34, 0.22, 0.44], rel=TOL)
    assert book.sum(axis=0) == pytest.approx([1.0, 1.0], rel=TOL)
