"""Pay cut: a vendor cuts wages; cheaper, but workers leave for rivals and quality slips."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from labelmarket.model.core.effects import tiers
from labelmarket.model.core.state import MarketState
from labelmarket.model.core.world import World
from labelmarket.model.scenario.events.base import CompileContext, EventSpec
from labelmarket.model.scenario.fields import P, Tier


class PayCut(EventSpec):
    """A vendor cuts pay by `fraction`."""

    type: Literal["pay_cut"]
    vendor: str
    fraction: float = P(..., "share", "Share of pay cut.", gt=0, lt=1)
    quality_loss: float = P(0.0, "quality (0-1)", "Immediate, lasting quality loss.", ge=0, le=1)
    tier: Tier | None = None

    def effects(self, at: CompileContext) -> list[PayCutEffect]:
        """One effect in the event's month."""
        return [
            PayCutEffect(
                at.month(self.month),
                at.vendors[self.vendor],
                self.fraction,
                self.quality_loss,
                at.tier(self.tier),
            )
        ]


@dataclass(frozen=True)
class PayCutEffect:
    """Wages fall by `fraction`; quality (and its target) by `quality_loss`."""

    month: int
    vendor: int
    fraction: float
    quality_loss: float = 0.0
    tier: int | None = None

    def apply(self, state: MarketState, world: World) -> None:
        """Cut wages (its labour supply falls with them: the pay strategy restores pay if the
        cut leaves it short of workers), lower quality (and its target) by `quality_loss`."""
        v, k, vendors = self.vendor, tiers(self.tier), state.vendors
        vendors["wage"][:, v, k] *= 1.0 - self.fraction
        quality = np.clip(vendors["quality"][:, v, k] - self.quality_loss, 0.0, 1.0)
        vendors["quality"][:, v, k] = quality
        vendors["quality_target"][:, v, k] = quality
