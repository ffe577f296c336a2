"""Talent departure: a share of a vendor's workers leaves at once; quality dips, recovers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from labelmarket.model.core.effects import tiers
from labelmarket.model.core.state import MarketState
from labelmarket.model.core.world import World
from labelmarket.model.scenario.events.base import CompileContext, EventSpec
from labelmarket.model.scenario.fields import P, Tier


class TalentDeparture(EventSpec):
    """A share of a vendor's workers leaves at once."""

    type: Literal["talent_departure"]
    vendor: str
    fraction: float = P(..., "share", "Share of the tier's workers who leave.", gt=0, le=1)
    quality_loss: float = P(
        0.0, "quality (0-1)", "Quality dent, recovered over `recovery_months`.", ge=0, le=1
    )
    tier: Tier | None = None
    recovery_months: int = P(12, "months", "Time scale of recovery.", ge=1, le=600)

    def effects(self, at: CompileContext) -> list[TalentDepartureEffect]:
        """One effect in the event's month."""
        return [
            TalentDepartureEffect(
                at.month(self.month),
                at.vendors[self.vendor],
                self.fraction,
                self.quality_loss,
                at.tier(self.tier),
                self.recovery_months,
            )
        ]


@dataclass(frozen=True)
class TalentDepartureEffect:
    """Workers leave; quality dents and drifts back over `recovery_months`."""

    month: int
    vendor: int
    fraction: float
    quality_loss: float = 0.0
    tier: int | None = None
    recovery_months: int = 12

    def apply(self, state: MarketState, world: World) -> None:
        """Remove the workers and dent quality, which drifts back over `recovery_months`."""
        v, k, vendors = self.vendor, tiers(self.tier), state.vendors
        vendors["workforce"][:, v, k] *= 1.0 - self.fraction
        quality = np.clip(vendors["quality"][:, v, k] - self.quality_loss, 0.0, 1.0)
        vendors["quality"][:, v, k] = quality
        vendors["quality_rate"][:, v, k] = 1.0 / self.recovery_months
