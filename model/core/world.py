"""The compiled world: every parameter of a scenario as numpy arrays, indexed by position.

The core rules read a `World` and never see YAML, names in files or dates: the scenario
layer resolves names to indices and dates to month numbers before the simulation starts.
Declared parameters (`model.core.parameters`) live in `World.values` and read as
attributes (`world.budget`, `world.observation_noise`). Arrays may carry a leading
replicate axis; `World.batched` adds it where it is missing, so a sweep can give every
replicate its own parameters and the rules stay the same.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from labelmarket.model.core.parameters import BASE_NDIM, DECLARED

TIERS: tuple[str, ...] = ("generalist", "expert")
"""Task tiers, in the order of the last axis of every per-tier array."""


def per_replicate(value: float | np.ndarray, ndim: int) -> np.ndarray:
    """A constant (scalar or one value per replicate) shaped to broadcast over ndim axes."""
    return np.reshape(value, (-1,) + (1,) * (ndim - 1))


@dataclass(frozen=True)
class World:
    """Everything the rules need to simulate one market, as arrays (V vendors, C clients).

    `business_model[v]` indexes `business_models` (the vendor's category, such as crowd
    or expert network); `is_lab[c]` marks the labs, which are one another's rivals.
    """

    vendors: tuple[str, ...]
    clients: tuple[str, ...]
    months: int
    business_models: tuple[str, ...]
    business_model: np.ndarray  # (V,) int
    is_lab: np.ndarray  # (C,) bool
    entry_month: np.ndarray  # (V,) int, 0 for vendors present from the start
    initial_shares: np.ndarray  # (C, V): spend shares before the first month (incumbency)
    values: Mapping[str, Any]  # every declared parameter by name
    policies: Mapping[str, tuple[str, ...]]  # decision -> each vendor's policy name
    events: tuple[Any, ...] = ()

    def __getattr__(self, name: str) -> Any:
        """A declared parameter by name: `world.budget`, `world.observation_noise`."""
        if name.startswith("__") or name == "values":
            raise AttributeError(name)
        try:
            return self.values[name]
        except KeyError:
            raise AttributeError(f"World has no parameter '{name}'") from None

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
        return np.ndim(self.values["budget"]) == 2

    def of_model(self, name: str) -> np.ndarray:
        """Which vendors follow business model `name`: (V,) bool."""
        return self.business_model == self.business_models.index(name)

    def rows(self, start: int, stop: int) -> World:
        """The replicates start..stop of a batched world (every varying array sliced)."""
        if not self.is_batched:
            return self
        values = dict(self.values)
        for d in DECLARED:
            if not d.structural:
                values[d.name] = values[d.name][start:stop]
        return replace(self, values=values, initial_shares=self.initial_shares[start:stop])

    def batched(self, replicates: int) -> World:
        """Return a copy whose varying arrays all carry a leading replicate axis."""
        values = dict(self.values)
        for d in DECLARED:
            if not d.structural:
                ndim = BASE_NDIM[d.scope]
                values[d.name] = _with_replicates(d.name, values[d.name], ndim, replicates)
        shares = _with_replicates("initial_shares", self.initial_shares, 2, replicates)
        return replace(self, values=values, initial_shares=shares)


def _with_replicates(name: str, value: Any, base_ndim: int, replicates: int) -> np.ndarray:
    """`value` with a leading replicate axis (broadcast if it has none yet)."""
    arr = np.asarray(value, dtype=float)
    if arr.ndim == base_ndim == 0:
        return np.full(replicates, float(arr))
    if arr.ndim == base_ndim:
        return np.broadcast_to(arr, (replicates, *arr.shape))
    if arr.shape[0] != replicates:
        raise ValueError(f"{name}: leading axis {arr.shape[0]} != {replicates}")
    return arr
