"""New entrant: a vendor declared in the scenario opens for business in a later month."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from labelmarket.model.core.state import MarketState
from labelmarket.model.core.world import World
from labelmarket.model.scenario.events.base import CompileContext, EventSpec


class NewEntrant(EventSpec):
    """A vendor listed in `vendors` opens for business this month."""

    type: Literal["new_entrant"]
    vendor: str

    def effects(self, at: CompileContext) -> list[NewEntrantEffect]:
        """Mark the vendor absent until its month, then open it."""
        m, v = at.month(self.month), at.vendors[self.vendor]
        at.entry_month[v] = m
        return [NewEntrantEffect(m, v)]


@dataclass(frozen=True)
class NewEntrantEffect:
    """The vendor becomes available to clients."""

    month: int
    vendor: int

    def apply(self, state: MarketState, world: World) -> None:
        """Make the vendor available to clients."""
        vendors, v = state.vendors, self.vendor
        vendors["active"][:, v] = True
        # it staffs, this first month, for the workforce it enters with
        hours = world.values["hours_per_worker"][..., v, :]
        vendors["requested_hours"][:, v] = (
            vendors["workforce"][:, v] * hours * vendors["util_normal"][:, v]
        )
