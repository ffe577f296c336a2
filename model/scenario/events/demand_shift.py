"""Demand shift: budgets scale and/or the task mix tilts toward (or away from) expert work."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from labelmarket.model.core.state import MarketState
from labelmarket.model.core.world import World
from labelmarket.model.scenario.events.base import CompileContext, EventSpec
from labelmarket.model.scenario.fields import P


class DemandShift(EventSpec):
    """Budgets scale and/or the task mix tilts toward expert work."""

    type: Literal["demand_shift"]
    client: str | None = None
    budget_factor: float = P(1.0, "x", "Multiplier on the budget path.", gt=0, le=100)
    expert_shift: float = P(
        0.0, "log-odds", "Added to the log-odds of the expert share.", ge=-10, le=10
    )

    def effects(self, at: CompileContext) -> list[DemandShiftEffect]:
        """One effect in the event's month."""
        m = at.month(self.month)
        return [DemandShiftEffect(m, at.client(self.client), self.budget_factor, self.expert_shift)]


@dataclass(frozen=True)
class DemandShiftEffect:
    """Scale one client's (or every client's) budget path and tilt its task mix."""

    month: int
    client: int | None = None
    budget_factor: float = 1.0
    expert_shift: float = 0.0

    def apply(self, state: MarketState, world: World) -> None:
        """Scale the budget path and add log-odds to the expert share."""
        rows = slice(None) if self.client is None else self.client
        state.clients["budget_factor"][:, rows] *= self.budget_factor
        state.clients["expert_shift"][:, rows] += self.expert_shift
