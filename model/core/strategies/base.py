"""What every vendor strategy shares: the signals it reads and the way it is registered.

A strategy is a named policy for one decision (pricing, wages, skill mix): a small class
whose `decide` maps this month's signals and its declared parameters to next month's
values and the reason for each move, over arrays whose first axis is the replicate and
second the vendor. Both drivers call the same policies: the batched engine for every
vendor at once, the Mesa driver vendor by vendor (each agent's decision method calls the
policy on its own column), which gives the same numbers because every policy works
element by element once the market-level signals are computed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import ClassVar

import numpy as np

from labelmarket.model.core.declared import Declared


@dataclass
class Signals:
    """What a vendor sees when it decides, one column per vendor: (R, V) or (R, V, 2)."""

    log_price: np.ndarray  # (R, V, 2) this month's price
    price_gap: np.ndarray  # (R, V, 2) log price minus the market's mean log price, minus anchor
    utilisation_gap: np.ndarray  # (R, V, 2) smoothed utilisation minus its normal level
    share_loss: np.ndarray  # (R, V, 2) fall of the smoothed share of the tier's spend, 0..1
    log_cost_floor: np.ndarray  # (R, V, 2) log of the lowest price covering pay and margin
    log_wage: np.ndarray  # (R, V, 2) this month's pay
    wage_gap: np.ndarray  # (R, V, 2) log pay minus peers' mean log pay, minus anchor
    shortage_gap: np.ndarray  # (R, V, 2) staffing shortfall minus its normal level
    losing: np.ndarray  # (R, V) smoothed losses over smoothed revenue beyond the usual, 0..1
    decline: np.ndarray  # (R, V) fall of smoothed generalist revenue, 0..1
    expert_growth: np.ndarray  # (R, V) growth of the market's expert-tier spend, >= 0
    push: np.ndarray  # (R, V) current expert push, 0..1

    def columns(self, cols: np.ndarray | slice) -> Signals:
        """The same signals for some vendors only (the Mesa driver asks one at a time)."""
        return Signals(**{f.name: getattr(self, f.name)[:, cols] for f in fields(self)})


Params = Mapping[str, np.ndarray]
"""A policy's declared parameters by name, each (R, V) (the vendors it decides for)."""


class Policy:
    """A named decision rule. Subclasses set `decision`, `name`, `parameters`, `decide`."""

    decision: ClassVar[str]
    name: ClassVar[str]
    parameters: ClassVar[tuple[Declared, ...]] = ()
    reasons: ClassVar[tuple[str, ...]] = ("unchanged",)

    @staticmethod
    def decide(s: Signals, p: Params) -> tuple[np.ndarray, np.ndarray]:
        """(next month's values, reason code per value) for the given vendors."""
        raise NotImplementedError


def dominant(terms: list[np.ndarray], step: np.ndarray, codes: list) -> np.ndarray:
    """Reason code of each move: the term that pushed hardest its way; 0 where nothing moved.

    `codes[i]` is the reason of term i: a number, or an array (a term with two faces, such
    as utilisation that is high or low).
    """
    terms = np.broadcast_arrays(*terms, step)[:-1]
    signed = np.stack(terms, axis=-1) * np.sign(step)[..., None]
    codes = np.stack([np.broadcast_to(c, step.shape) for c in codes], axis=-1)
    reason = np.take_along_axis(codes, np.argmax(signed, axis=-1)[..., None], axis=-1)[..., 0]
    return np.where(np.abs(step) > 1e-4, reason, 0)
