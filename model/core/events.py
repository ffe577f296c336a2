"""Scheduled events: each type is a small frozen dataclass whose `apply` edits the state.

Events are compiled from the scenario with names resolved to indices and dates to month
numbers; an event dated month m takes effect at the start of month m (before demand), so
"from June" means June's choices already see it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from labelmarket.model.core.state import MarketState, refresh_exposure
from labelmarket.model.core.world import World


def _tiers(tier: int | None) -> slice | int:
    """Select one tier, or both when the event names none."""
    return slice(None) if tier is None else tier


@dataclass(frozen=True)
class Investment:
    """A client buys a stake in a vendor: cash moves, rivals now see a conflict of interest."""

    month: int
    investor: int
    vendor: int
    stake: float
    amount: float
    founder_moves: bool = False

    def apply(self, state: MarketState, world: World) -> None:
        """Transfer the money, record the stake and re-mark the vendor at the deal price."""
        v, c = self.vendor, self.investor
        state.stake[:, v, c] = np.minimum(1.0, state.stake[:, v, c] + self.stake)
        state.cash[:, v] += self.amount
        state.invested[:, c] += self.amount
        if self.founder_moves:
            state.founder[:, v, c] = world.constants.founder_exposure
        annual = 12.0 * state.revenue_ema[:, v]
        post_money = self.amount / self.stake
        state.valuation_multiple[:, v] = np.where(
            annual > 0, post_money / np.maximum(annual, 1.0), state.valuation_multiple[:, v]
        )
        refresh_exposure(state, world.is_lab)


@dataclass(frozen=True)
class ClientPause:
    """A client stops buying from one vendor (or from every vendor when `vendor` is None)."""

    month: int
    client: int
    vendor: int | None = None
    resume: bool = False

    def apply(self, state: MarketState, world: World) -> None:
        """Block (or unblock, for the matching resume) the client's purchases."""
        cols = slice(None) if self.vendor is None else self.vendor
        state.blocked[:, self.client, cols] = not self.resume


@dataclass(frozen=True)
class QualityShock:
    """A vendor's delivered quality jumps; it recovers over `recovery_months` if given."""

    month: int
    vendor: int
    delta: float
    tier: int | None = None
    recovery_months: int | None = None

    def apply(self, state: MarketState, world: World) -> None:
        """Move quality now; keep the old level as the target when it will recover."""
        v, k = self.vendor, _tiers(self.tier)
        state.quality[:, v, k] = np.clip(state.quality[:, v, k] + self.delta, 0.0, 1.0)
        if self.recovery_months:
            state.quality_rate[:, v, k] = 1.0 / self.recovery_months
        else:
            state.quality_target[:, v, k] = state.quality[:, v, k]


@dataclass(frozen=True)
class DemandShift:
    """Clients' budgets scale and/or their task mix tilts toward (or away from) expert work."""

    month: int
    client: int | None = None
    budget_factor: float = 1.0
    expert_shift: float = 0.0

    def apply(self, state: MarketState, world: World) -> None:
        """Scale the budget path and add log-odds to the expert share."""
        rows = slice(None) if self.client is None else self.client
        state.budget_factor[:, rows] *= self.budget_factor
        state.expert_shift[:, rows] += self.expert_shift


@dataclass(frozen=True)
class NewEntrant:
    """A vendor declared in the scenario opens for business this month."""

    month: int
    vendor: int

    def apply(self, state: MarketState, world: World) -> None:
        """Make the vendor available to clients."""
        state.active[:, self.vendor] = True


@dataclass(frozen=True)
class VendorPivot:
    """A vendor recruits experts: higher expert wages and hiring, expert quality ramps up."""

    month: int
    vendor: int
    expert_wage_factor: float
    expert_hiring_rate: float
    expert_quality_target: float
    ramp_months: int

    def apply(self, state: MarketState, world: World) -> None:
        """Raise expert pay and hiring, set the quality the expert tier ramps toward."""
        v = self.vendor
        state.wage[:, v, 1] *= self.expert_wage_factor
        state.hiring_rate[:, v, 1] = self.expert_hiring_rate
        state.quality_target[:, v, 1] = self.expert_quality_target
        state.quality_rate[:, v, 1] = 1.0 / self.ramp_months


@dataclass(frozen=True)
class PayCut:
    """A vendor cuts pay: cheaper, but workers leave for better-paying rivals, quality slips."""

    month: int
    vendor: int
    fraction: float
    quality_loss: float = 0.0
    tier: int | None = None

    def apply(self, state: MarketState, world: World) -> None:
        """Cut wages and lower quality (and its target) by `quality_loss`."""
        v, k = self.vendor, _tiers(self.tier)
        state.wage[:, v, k] *= 1.0 - self.fraction
        state.quality[:, v, k] = np.clip(state.quality[:, v, k] - self.quality_loss, 0.0, 1.0)
        state.quality_target[:, v, k] = state.quality[:, v, k]


@dataclass(frozen=True)
class TalentDeparture:
    """A share of a vendor's workforce leaves at once; quality dips and recovers."""

    month: int
    vendor: int
    fraction: float
    quality_loss: float = 0.0
    tier: int | None = None
    recovery_months: int = 12

    def apply(self, state: MarketState, world: World) -> None:
        """Remove the workers and dent quality, which drifts back over `recovery_months`."""
        v, k = self.vendor, _tiers(self.tier)
        state.workforce[:, v, k] *= 1.0 - self.fraction
        state.quality[:, v, k] = np.clip(state.quality[:, v, k] - self.quality_loss, 0.0, 1.0)
        state.quality_rate[:, v, k] = 1.0 / self.recovery_months


def apply_due(events: tuple, month: int, state: MarketState, world: World) -> None:
    """Fire every event dated this month, in the order the scenario lists them."""
    for event in events:
        if event.month == month:
            event.apply(state, world)
