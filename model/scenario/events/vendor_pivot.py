"""Vendor pivot: a vendor recruits experts at higher pay and its expert quality ramps up."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from labelmarket.model.core.state import MarketState
from labelmarket.model.core.world import World
from labelmarket.model.scenario.events.base import CompileContext, EventSpec
from labelmarket.model.scenario.fields import P


class VendorPivot(EventSpec):
    """A vendor recruits experts at higher pay; its expert quality ramps up."""

    type: Literal["vendor_pivot"]
    vendor: str
    expert_wage_factor: float = P(1.5, "x", "Multiplier on expert pay.", gt=0, le=10)
    expert_hiring_rate: float = P(0.2, "per month", "New expert hiring rate.", ge=0, le=1)
    expert_quality_target: float = P(
        0.85, "quality (0-1)", "Expert-tier quality the pivot ramps toward.", ge=0, le=1
    )
    ramp_months: int = P(12, "months", "Time scale of the quality ramp.", ge=1, le=600)

    def effects(self, at: CompileContext) -> list[VendorPivotEffect]:
        """One effect in the event's month."""
        return [
            VendorPivotEffect(
                at.month(self.month),
                at.vendors[self.vendor],
                self.expert_wage_factor,
                self.expert_hiring_rate,
                self.expert_quality_target,
                self.ramp_months,
            )
        ]


@dataclass(frozen=True)
class VendorPivotEffect:
    """Higher expert wages and hiring; expert quality ramps toward a target."""

    month: int
    vendor: int
    expert_wage_factor: float
    expert_hiring_rate: float
    expert_quality_target: float
    ramp_months: int

    def apply(self, state: MarketState, world: World) -> None:
        """Raise expert pay, commit to a full expert push (experts recruited ahead of demand),
        raise hiring, set the quality the expert tier ramps toward."""
        v, vendors = self.vendor, state.vendors
        vendors["wage"][:, v, 1] *= self.expert_wage_factor
        vendors["push_floor"][:, v] = 1.0  # it recruits experts ahead of demand from now on
        vendors["push"][:, v] = 1.0
        vendors["hiring_rate"][:, v, 1] = self.expert_hiring_rate
        vendors["quality_target"][:, v, 1] = self.expert_quality_target
        vendors["quality_rate"][:, v, 1] = 1.0 / self.ramp_months
