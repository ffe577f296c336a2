"""Identifiability: which fitted parameters the facts pin down and which they leave to the prior.

Two yardsticks, both in the space ABC works in (log for log-uniform priors): the ratio of
the posterior's standard deviation to the prior's (near 1: the data did not narrow it), and
the Kolmogorov-Smirnov distance between the weighted posterior and the prior (near 0: the
data did not move it either).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from labelmarket.calibration.priors import FitSpec

SD_RATIO_WEAK = 0.7  # posterior sd above this share of the prior sd: barely narrowed
KS_WEAK = 0.2  # and a KS distance below this: barely moved
SD_RATIO_PINNED = 0.5


@dataclass(frozen=True)
class Identifiability:
    """How much the facts tell about one parameter."""

    name: str
    sd_ratio: float
    ks: float

    @property
    def verdict(self) -> str:
        """`pinned down`, `partly` or `prior-dominated` (posterior close to the prior)."""
        if self.sd_ratio > SD_RATIO_WEAK and self.ks < KS_WEAK:
            return "prior-dominated"
        return "pinned down" if self.sd_ratio <= SD_RATIO_PINNED else "partly"


def _weighted_sd(x: np.ndarray, w: np.ndarray) -> float:
    mean = np.sum(w * x)
    return float(np.sqrt(np.sum(w * (x - mean) ** 2)))


def ks_to_prior(x: np.ndarray, w: np.ndarray, cdf: np.ndarray) -> float:
    """KS distance between the weighted sample x and a prior whose CDF at x is `cdf`."""
    order = np.argsort(x)
    post = np.cumsum(w[order]) / np.sum(w)
    prior = cdf[order]
    before = np.concatenate([[0.0], post[:-1]])
    return float(max(np.max(np.abs(post - prior)), np.max(np.abs(before - prior))))


def identifiability(fit: FitSpec, theta: np.ndarray, weights: np.ndarray) -> list[Identifiability]:
    """One verdict per fitted parameter, in the fit's column order."""
    z = fit.to_z(theta)
    out = []
    for j, p in enumerate(fit.parameters):
        ratio = _weighted_sd(z[:, j], weights) / p.sd_z()
        out.append(
            Identifiability(p.name, ratio, ks_to_prior(theta[:, j], weights, p.cdf(theta[:, j])))
        )
    return out
