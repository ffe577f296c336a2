"""Investment: a client buys a stake in a vendor, and rivals now see a conflict of interest."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal

import numpy as np

from labelmarket.model.core.state import MarketState, refresh_exposure
from labelmarket.model.core.world import World
from labelmarket.model.scenario.events.base import CompileContext, EventSpec
from labelmarket.model.scenario.fields import P


class Investment(EventSpec):
    """A client buys a stake in a vendor."""

    type: Literal["investment"]
    investor: str
    vendor: str
    stake: float = P(..., "ownership share", "Share of the vendor bought.", ge=1e-4, le=1)
    amount: float = P(..., "$", "Price paid.", ge=0, le=1e13)
    founder_moves: bool = P(False, "-", "The vendor's founder joins the investor.")
    primary_share: float = P(
        1.0,
        "share",
        "Share of the amount paid into the vendor as new cash (a primary issue); the rest buys "
        "existing shares from its shareholders and leaves the vendor's cash unchanged.",
        ge=0,
        le=1,
    )
    cash_flow_rights: bool = P(
        True,
        "-",
        "The stake entitles the investor to its share of the vendor's profits (a non-voting "
        "stake does): it then weighs the vendor's price net of that share of its margin.",
    )
    references: ClassVar[dict[str, str]] = {"investor": "client", "vendor": "vendor"}

    def effects(self, at: CompileContext) -> list[InvestmentEffect]:
        """One effect: the deal closes in its month."""
        return [
            InvestmentEffect(
                at.month(self.month),
                at.clients[self.investor],
                at.vendors[self.vendor],
                self.stake,
                self.amount,
                self.founder_moves,
                self.cash_flow_rights,
                self.primary_share,
            )
        ]


@dataclass(frozen=True)
class InvestmentEffect:
    """Cash moves, the stake is recorded, rivals' exposure and the valuation are re-marked."""

    month: int
    investor: int
    vendor: int
    stake: float
    amount: float
    founder_moves: bool = False
    cash_flow_rights: bool = True
    primary_share: float = 1.0

    def apply(self, state: MarketState, world: World) -> None:
        """Transfer the money (its primary share to the vendor), record the stake, and re-mark
        the vendor's operations at what the deal's price says they are worth."""
        v, c = self.vendor, self.investor
        pairs, vendors = state.pairs, state.vendors
        pairs["stake"][:, c, v] = np.minimum(1.0, pairs["stake"][:, c, v] + self.stake)
        if self.cash_flow_rights:
            pairs["cash_flow"][:, c, v] = np.minimum(1.0, pairs["cash_flow"][:, c, v] + self.stake)
        vendors["cash"][:, v] += self.primary_share * self.amount
        state.clients["invested"][:, c] += self.amount
        if self.founder_moves:
            pairs["founder"][:, c, v] = world.founder_exposure
        annual = 12.0 * vendors["revenue_ema"][:, v]
        operations = self.amount / self.stake - vendors["cash"][:, v]  # post-money less cash
        vendors["valuation_multiple"][:, v] = np.where(
            (annual > 0) & (operations > 0),
            operations / np.maximum(annual, 1.0),
            vendors["valuation_multiple"][:, v],
        )
        refresh_exposure(state, world.is_lab)
