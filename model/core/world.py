"""The compiled world: every parameter of a scenario as numpy arrays, indexed by position.

The core rules read a `World` and never see YAML, names in files or dates: the scenario
layer resolves names to indices and dates to month numbers before the simulation starts.
Arrays may carry a leading replicate axis; `World.batched` adds it where it is missing, so
a sweep can give every replicate its own parameters and the rules stay the same.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import Any

import numpy as np

TIERS: tuple[str, ...] = ("generalist", "expert")
"""Task tiers, in the order of the last axis of every per-tier array."""

# Base (un-batched) number of dimensions of each per-vendor / per-client array.
VENDOR_TIER = (
    "hours_per_worker",
    "wage",
    "quality",
    "reputation",
    "price",
    "hiring_rate",
    "attrition_rate",
    "layoff_rate",
    "workforce",
)
VENDOR = ("overhead", "cash", "valuation_multiple")
CLIENT = (
    "budget",
    "budget_growth",
    "expert_share",
    "expert_trend",
    "quality_sensitivity",
    "price_sensitivity",
    "conflict_sensitivity",
    "inertia",
    "defection_threshold",
)
CLIENT_VENDOR = ("initial_shares",)


STRUCTURAL = ("spill_rounds", "defection_window")
"""Constants that shape the computation itself and so cannot differ between replicates."""


def per_replicate(value: float | np.ndarray, ndim: int) -> np.ndarray:
    """A constant (scalar or one value per replicate) shaped to broadcast over ndim axes."""
    return np.reshape(value, (-1,) + (1,) * (ndim - 1))


@dataclass(frozen=True)
class MarketConstants:
    """Market-wide constants: scalars in a scenario, one value per replicate once batched.

    Every field but the structural ones may differ between replicates, so a sweep or a
    calibration can vary them inside one batch.
    """

    observation_noise: float = 0.08
    prior_precision: float = 25.0
    belief_forgetting: float = 0.05
    budget_noise: float = 0.05
    owner_affinity: float = 0.5
    founder_exposure: float = 0.25
    incumbent_min_share: float = 0.02
    spill_rounds: int = 3
    capacity_buffer: float = 0.10
    poaching_rate: float = 0.05
    hiring_wage_elasticity: float = 1.0
    revenue_smoothing: float = 0.3
    defection_window: int = 3


@dataclass(frozen=True)
class World:
    """Everything the rules need to simulate one market, as arrays (V vendors, C clients)."""

    vendors: tuple[str, ...]
    clients: tuple[str, ...]
    months: int
    is_crowd: np.ndarray  # (V,) bool
    entry_month: np.ndarray  # (V,) int, 0 for vendors present from the start
    is_lab: np.ndarray  # (C,) bool: labs are one another's rivals
    # per vendor x tier, (V, 2)
    hours_per_worker: np.ndarray
    wage: np.ndarray
    quality: np.ndarray
    reputation: np.ndarray
    price: np.ndarray
    hiring_rate: np.ndarray
    attrition_rate: np.ndarray
    layoff_rate: np.ndarray
    workforce: np.ndarray
    # per vendor, (V,)
    overhead: np.ndarray
    cash: np.ndarray
    valuation_multiple: np.ndarray
    # per client, (C,)
    budget: np.ndarray
    budget_growth: np.ndarray
    expert_share: np.ndarray
    expert_trend: np.ndarray
    quality_sensitivity: np.ndarray
    price_sensitivity: np.ndarray
    conflict_sensitivity: np.ndarray
    inertia: np.ndarray
    defection_threshold: np.ndarray
    # per client x vendor, (C, V): spend shares before the first month (incumbency)
    initial_shares: np.ndarray
    constants: MarketConstants = field(default_factory=MarketConstants)
    events: tuple[Any, ...] = ()

    @property
    def n_vendors(self) -> int:
        """Number of vendors, entrants included."""
        return len(self.vendors)

    @property
    def n_clients(self) -> int:
        """Number of clients."""
        return len(self.clients)

    @property
    def is_batched(self) -> bool:
        """True once parameters carry a leading replicate axis (one row per replicate)."""
        return np.ndim(self.budget) == 2

    def rows(self, start: int, stop: int) -> World:
        """The replicates start..stop of a batched world (parameters and constants sliced)."""
        if not self.is_batched:
            return self
        base_ndim = {name: 2 for name in VENDOR_TIER + CLIENT_VENDOR}
        base_ndim.update({name: 1 for name in VENDOR + CLIENT})
        changes: dict[str, Any] = {n: getattr(self, n)[start:stop] for n in base_ndim}
        consts = {
            f.name: getattr(self.constants, f.name)[start:stop]
            for f in fields(self.constants)
            if f.name not in STRUCTURAL
        }
        changes["constants"] = replace(self.constants, **consts)
        return replace(self, **changes)

    def batched(self, replicates: int) -> World:
        """Return a copy whose parameter arrays all carry a leading replicate axis."""
        base_ndim = {name: 2 for name in VENDOR_TIER + CLIENT_VENDOR}
        base_ndim.update({name: 1 for name in VENDOR + CLIENT})
        changes: dict[str, Any] = {}
        per_rep = {}
        for f in fields(self.constants):
            value = np.asarray(getattr(self.constants, f.name), dtype=float)
            if f.name in STRUCTURAL:
                continue
            if value.ndim == 0:
                value = np.full(replicates, float(value))
            elif value.shape != (replicates,):
                raise ValueError(f"constants.{f.name}: shape {value.shape} != ({replicates},)")
            per_rep[f.name] = value
        changes["constants"] = replace(self.constants, **per_rep)
        for f in fields(self):
            if f.name not in base_ndim:
                continue
            arr = np.asarray(getattr(self, f.name), dtype=float)
            if arr.ndim == base_ndim[f.name]:
                arr = np.broadcast_to(arr, (replicates, *arr.shape))
            elif arr.shape[0] != replicates:
                raise ValueError(f"{f.name}: leading axis {arr.shape[0]} != {replicates}")
            changes[f.name] = arr
        return replace(self, **changes)
