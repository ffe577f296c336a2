"""The compiled world: every parameter of a scenario as numpy arrays, indexed by position.

The core rules read a `World` and never see YAML, names in files or dates: the scenario
layer resolves names to indices and dates to month numbers before the simulation starts.
Declared parameters (`model.core.parameters`) live in `World.values` and read as
attributes (`world.budget`, `world.observation_noise`). Arrays may carry a leading
replicate axis; `World.batched` adds it where it is missing, so a sweep can give every
replicate its own parameters and the rules stay the same. `World.parameters` packs them
into the typed records the compiled rules read, and `World.structure` the integer and
boolean facts that shape the market (who is a lab, which policy each vendor follows).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, NamedTuple

import numpy as np

from labelmarket.model.core import strategies
from labelmarket.model.core.parameters import (
    CLIENT_RECORD,
    DECLARED,
    MARKET_RECORD,
    VENDOR_RECORD,
    Parameters,
)

STRUCTURAL = frozenset(d.name for d in DECLARED if d.structural)
TIERS: tuple[str, ...] = ("generalist", "expert")
"""Task tiers, in the order of the last axis of every per-tier array."""


class Structure(NamedTuple):
    """What shapes the market rather than a number in it: the same for every replicate."""

    is_lab: np.ndarray  # (C,) bool: labs are one another's rivals
    business_model: np.ndarray  # (V,) int: index into World.business_models
    n_models: int  # number of business models
    entry_month: np.ndarray  # (V,) int: month a vendor opens (0: from the start)
    policy: np.ndarray  # (3, V) int: each vendor's policy code per vendor decision
    spin_up_months: int
    spill_rounds: int
    defection_window: int


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
                values[d.name] = _with_replicates(d.name, values[d.name], d.ndim, replicates)
        shares = _with_replicates("initial_shares", self.initial_shares, 2, replicates)
        return replace(self, values=values, initial_shares=shares)

    def parameters(self) -> Parameters:
        """The record arrays the compiled rules read, from a batched world (structural
        values repeated per replicate)."""
        r = len(self.values["budget"])
        out = Parameters(
            market=np.zeros(r, MARKET_RECORD),
            vendor=np.zeros((r, self.n_vendors), VENDOR_RECORD),
            client=np.zeros((r, self.n_clients), CLIENT_RECORD),
        )
        for part in out:
            for name in part.dtype.names:
                value = np.asarray(self.values[name], dtype=np.float64)
                part[name] = np.ravel(value)[0] if name in STRUCTURAL else value
        return out

    def structure(self) -> Structure:
        """Who is a lab, business models, entry months, policy codes, structural sizes."""
        policy = np.array([
            [strategies.POLICIES[d][name].code for name in self.policies[d]]
            for d in strategies.VENDOR_DECISIONS
        ], dtype=np.int64).reshape(len(strategies.VENDOR_DECISIONS), self.n_vendors)  # fmt: skip
        return Structure(
            is_lab=np.ascontiguousarray(self.is_lab, dtype=np.bool_),
            business_model=np.ascontiguousarray(self.business_model, dtype=np.int64),
            n_models=len(self.business_models),
            entry_month=np.ascontiguousarray(self.entry_month, dtype=np.int64),
            policy=policy,
            spin_up_months=int(np.ravel(self.spin_up_months)[0]),
            spill_rounds=int(np.ravel(self.spill_rounds)[0]),
            defection_window=int(np.ravel(self.defection_window)[0]),
        )


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
