"""What a scheduled event does to the state, as the rules see it: an effect with a month.

The scenario layer compiles each event (`model.scenario.events`) into one or more effects,
names resolved to indices and dates to month numbers. An effect dated month m applies at
the start of month m (before demand), so "from June" means June's choices already see it.
Effects edit the state's arrays in place, for every replicate at once (plain numpy: they
run once, in their month).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from labelmarket.model.core.state import MarketState
    from labelmarket.model.core.world import World


class Effect(Protocol):
    """A change to the state that takes place at the start of `month`."""

    month: int

    def apply(self, state: MarketState, world: World) -> None:
        """Edit the state of every replicate."""
        ...


def tiers(tier: int | None) -> slice | int:
    """Select one tier, or both when the event names none."""
    return slice(None) if tier is None else tier


def apply_due(effects: tuple, month: int, state: MarketState, world: World) -> None:
    """Apply every effect dated this month, in the order the scenario lists its events."""
    for effect in effects:
        if effect.month == month:
            effect.apply(state, world)
