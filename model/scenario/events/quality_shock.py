"""Quality shock: a vendor's delivered quality jumps, then recovers or stays."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from labelmarket.model.core.effects import tiers
from labelmarket.model.core.state import MarketState
from labelmarket.model.core.world import World
from labelmarket.model.scenario.events.base import CompileContext, EventSpec
from labelmarket.model.scenario.fields import P, Tier


class QualityShock(EventSpec):
    """A vendor's quality jumps by `delta`."""

    type: Literal["quality_shock"]
    vendor: str
    delta: float = P(..., "quality (0-1)", "Change in true quality.", ge=-1, le=1)
    tier: Tier | None = None
    recovery_months: int | None = P(
        None, "months", "Time scale of recovery; none means permanent.", ge=1, le=600
    )

    def effects(self, at: CompileContext) -> list[QualityShockEffect]:
        """One effect in the event's month."""
        return [
            QualityShockEffect(
                at.month(self.month),
                at.vendors[self.vendor],
                self.delta,
                at.tier(self.tier),
                self.recovery_months,
            )
        ]


@dataclass(frozen=True)
class QualityShockEffect:
    """Quality moves now; it drifts back over `recovery_months` if given."""

    month: int
    vendor: int
    delta: float
    tier: int | None = None
    recovery_months: int | None = None

    def apply(self, state: MarketState, world: World) -> None:
        """Move quality now; keep the old level as the target when it will recover."""
        v, k, vendors = self.vendor, tiers(self.tier), state.vendors
        vendors["quality"][:, v, k] = np.clip(vendors["quality"][:, v, k] + self.delta, 0.0, 1.0)
        if self.recovery_months:
            vendors["quality_rate"][:, v, k] = 1.0 / self.recovery_months
        else:
            vendors["quality_target"][:, v, k] = vendors["quality"][:, v, k]
