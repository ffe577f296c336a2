"""Mesa agents: vendors and clients whose attributes are views of their row in the arrays.

The rules run at model level on arrays (one replicate); an agent reads and writes its own
row, so users can inspect the market agent by agent or extend it the Mesa way without a
second copy of the rules that could drift from the batched engine.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

if TYPE_CHECKING:
    from labelmarket.model.drivers.mesa_model import MarketModel


class Vendor(mesa.Agent):
    """A labelling vendor (row `index` of every per-vendor array)."""

    def __init__(self, model: MarketModel, index: int, name: str, business_model: str):
        super().__init__(model)
        self.index = index
        self.name = name
        self.business_model = business_model

    @property
    def workforce(self) -> np.ndarray:
        """Workers per tier (generalist, expert); writable."""
        return self.model.state.workforce[0, self.index]

    @workforce.setter
    def workforce(self, value: np.ndarray) -> None:
        self.model.state.workforce[0, self.index] = value

    @property
    def quality(self) -> np.ndarray:
        """True quality per tier (0-1); writable."""
        return self.model.state.quality[0, self.index]

    @quality.setter
    def quality(self, value: np.ndarray) -> None:
        self.model.state.quality[0, self.index] = value

    @property
    def price(self) -> np.ndarray:
        """Price per tier ($ / task-hour); writable."""
        return self.model.state.price[0, self.index]

    @price.setter
    def price(self, value: np.ndarray) -> None:
        self.model.state.price[0, self.index] = value

    @property
    def cash(self) -> float:
        """Cash ($)."""
        return float(self.model.state.cash[0, self.index])

    @property
    def revenue(self) -> float:
        """Revenue in the last simulated month ($)."""
        return float(self.model.last("revenue")[self.index])

    @property
    def valuation(self) -> float:
        """Valuation after the last month ($)."""
        return float(self.model.last("valuation")[self.index])

    @property
    def stakes(self) -> dict[str, float]:
        """Share of this vendor owned by each client holding a stake."""
        held = self.model.state.stake[0, self.index]
        return {c: float(s) for c, s in zip(self.model.world.clients, held, strict=True) if s}

    @property
    def headcount(self) -> float:
        """All workers, both tiers."""
        return float(self.workforce.sum())


class Client(mesa.Agent):
    """A buyer of labelled data (row `index` of every per-client array)."""

    def __init__(self, model: MarketModel, index: int, name: str, segment: str):
        super().__init__(model)
        self.index = index
        self.name = name
        self.segment = segment

    @property
    def beliefs(self) -> np.ndarray:
        """Believed quality of each vendor per tier (V, 2); writable."""
        return self.model.state.belief_mean[0, self.index]

    @beliefs.setter
    def beliefs(self, value: np.ndarray) -> None:
        self.model.state.belief_mean[0, self.index] = value

    @property
    def spend(self) -> float:
        """Total spend in the last simulated month ($)."""
        return float(self.model.client_spend[self.index])

    @property
    def spend_by_vendor(self) -> dict[str, float]:
        """Last month's spend at each vendor ($)."""
        by_vendor = self.model.last("spend")[self.index].sum(axis=-1)
        return dict(zip(self.model.world.vendors, map(float, by_vendor), strict=True))
