"""The perturbation kernel: proposals stay inside the bounds, and the importance weights
(prior over the kernel mixture) undo the proposal, truncation included."""

from __future__ import annotations

import numpy as np
from scipy import stats

from labelmarket.calibration.kernel import TruncatedKernel

LO, HI = np.array([0.0, -1.0]), np.array([1.0, 3.0])


def prior_sample(rng: np.random.Generator, n: int) -> np.ndarray:
    """Uniform draws inside the box."""
    return LO + rng.random((n, 2)) * (HI - LO)


def test_every_proposal_is_inside_the_bounds() -> None:
    rng = np.random.default_rng(1)
    centres = np.array([[0.0, 3.0], [1.0, -1.0], [0.5, 1.0]])  # two on the corners
    kernel = TruncatedKernel.around(centres, np.full(3, 1 / 3), LO, HI)
    z = kernel.draw(rng, 20_000)
    assert np.all((z >= LO) & (z <= HI))
    assert np.all(np.isfinite(kernel.log_density(z)))


def test_a_proposals_density_is_its_truncated_normals() -> None:
    """With one centre the mixture is the product of the truncated normals (shape checked
    against scipy up to the shared constant)."""
    centre = np.array([[0.9, 2.5]])
    kernel = TruncatedKernel(centre, np.ones(1), np.array([0.3, 1.2]), LO, HI)
    z = prior_sample(np.random.default_rng(2), 50)
    a, b = (LO - centre[0]) / kernel.sd, (HI - centre[0]) / kernel.sd
    expected = stats.truncnorm.logpdf(z, a, b, loc=centre[0], scale=kernel.sd).sum(axis=1)
    got = kernel.log_density(z)
    np.testing.assert_allclose(got - got[0], expected - expected[0], atol=1e-9)


def test_weighted_proposals_recover_a_flat_prior() -> None:
    """Particles crowded in one corner, perturbed and weighted by prior / mixture, give
    back the prior's mean and spread: the truncation's mass is accounted for."""
    rng = np.random.default_rng(3)
    centres = LO + (HI - LO) * rng.beta(0.6, 3.0, size=(400, 2))  # near the lower bounds
    kernel = TruncatedKernel.around(centres, np.full(400, 1 / 400), LO, HI)
    z = kernel.draw(rng, 60_000)
    w = np.exp(-kernel.log_density(z))  # flat prior
    w /= w.sum()
    mean = w @ z
    assert np.all(np.abs(mean - (LO + HI) / 2) < 0.03 * (HI - LO)), mean
    np.testing.assert_allclose(w @ (z - mean) ** 2, (HI - LO) ** 2 / 12, rtol=0.08)
    assert 1 / np.sum(w**2) > 0.05 * len(z)  # and the weights stay usable (~8.5% here)
