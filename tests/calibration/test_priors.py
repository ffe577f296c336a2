"""The unbounded scale ABC perturbs on: every point maps inside the bounds, and the prior
density there carries the change of variables, so importance weights stay right."""

from __future__ import annotations

import numpy as np
import pytest

from labelmarket.calibration.priors import FitParameter, PriorSpec

SPECS = {
    "uniform": PriorSpec(path="a", prior="uniform", low=-2.0, high=3.0, why="test"),
    "loguniform": PriorSpec(path="b", prior="loguniform", low=0.002, high=0.2, why="test"),
    "normal": PriorSpec(path="c", prior="normal", low=0.0, high=1.0, mean=0.3, sd=0.2, why="t"),
}


def parameter(kind: str) -> FitParameter:
    """A fitted parameter with no model targets (the transform needs only its prior)."""
    return FitParameter(SPECS[kind], (), np.empty(0))


@pytest.mark.parametrize("kind", sorted(SPECS))
def test_round_trip_and_every_point_lands_inside_the_bounds(kind: str) -> None:
    p = parameter(kind)
    x = p.from_unit(np.linspace(0.01, 0.99, 41))
    np.testing.assert_allclose(p.from_y(p.to_y(x)), x, rtol=1e-9)
    far = p.from_y(np.array([-800.0, -40.0, 0.0, 40.0, 800.0]))
    assert np.all((far >= p.spec.low) & (far <= p.spec.high))


@pytest.mark.parametrize("kind", sorted(SPECS))
def test_density_on_the_unbounded_scale_is_the_prior_times_the_jacobian(kind: str) -> None:
    p = parameter(kind)
    y = np.linspace(-5.0, 5.0, 21)
    h = 1e-6
    z_of = (lambda v: np.log(p.from_y(v))) if p.log else p.from_y
    dz_dy = (z_of(y + h) - z_of(y - h)) / (2 * h)
    expected = np.log(dz_dy) + p.log_density_z(z_of(y))
    got = p.log_density_y(y)
    # both are up to a constant: compare differences from the first point
    np.testing.assert_allclose(got - got[0], expected - expected[0], atol=1e-5)


def test_draws_pushed_through_the_scale_keep_the_prior() -> None:
    """Uniform draws on the prior, mapped to y, have density exp(log_density_y) there."""
    p = parameter("uniform")
    rng = np.random.default_rng(3)
    y = p.to_y(p.from_unit(rng.random(200_000)))
    counts, edges = np.histogram(y, bins=40, range=(-4, 4))
    mids = 0.5 * (edges[1:] + edges[:-1])
    density = np.exp(p.log_density_y(mids))  # s(1 - s): the logistic density, already normed
    np.testing.assert_allclose(counts / (200_000 * (edges[1] - edges[0])), density, atol=0.01)
