"""A batch of replicates of one world, advanced month by month: what both drivers run.

`Batch.start` packs the world's parameters into the record arrays the rules read, solves
each replicate's start (`model.core.startup`, once when every replicate shares its
parameters) and allocates the month's arrays; `advance` applies the events due and runs
the month's five phases in one compiled call. The Mesa driver runs the phases one by one
(`choose`, `deliver`, `close`) with its agents' own renewals and decisions between them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from labelmarket.model.core import startup, step
from labelmarket.model.core.compiled import spread
from labelmarket.model.core.effects import apply_due
from labelmarket.model.core.month import DECIDED, Month, empty_month
from labelmarket.model.core.parameters import Parameters
from labelmarket.model.core.shocks import Shocks
from labelmarket.model.core.signals import empty_signals
from labelmarket.model.core.state import MarketState, initial_state, observed_shares
from labelmarket.model.core.world import Structure, World


def starting_state(world: World, replicates: int) -> MarketState:
    """Month 0 of `replicates` replicates, after the start-up (`model.core.startup`).

    The start-up is deterministic: a world whose replicates share their parameters starts
    once and is copied; a batched world (one parameter row per replicate) starts row by row.
    """
    rows = world.batched(replicates) if world.is_batched else world.batched(1)
    state = _solved_start(rows.parameters(), rows.structure(), rows.initial_shares)
    if world.is_batched or replicates == 1:  # solved for these replicates alone: no copy
        return state
    return state.repeat(replicates)


def _solved_start(p: Parameters, structure: Structure, shares: np.ndarray) -> MarketState:
    """Run the start-up of every row of a batched world."""
    shares = np.ascontiguousarray(shares, dtype=np.float64)
    s = initial_state(p, structure, shares)
    observed = observed_shares(p, shares, s.vendors["active"])
    r, c, v = shares.shape
    spread(startup.start, r, p, structure, s.vendors, s.clients, s.pairs, s.trend, s.labour,
           s.rings, observed, empty_month(r, c, v))  # fmt: skip
    return s


@dataclass
class Batch:
    """R replicates of a world, with the month's arrays the rules fill."""

    world: World
    p: Parameters
    structure: Structure
    state: MarketState
    month: Month
    signals: np.ndarray  # (R, V) strategies.SIGNALS
    decided: np.ndarray  # (R, V) month.DECIDED
    shocks: Shocks

    @classmethod
    def start(
        cls, world: World, generators: Sequence[np.random.Generator], months: int | None = None
    ) -> Batch:
        """Month 0 of one replicate per generator (each replicate draws from its own)."""
        r = len(generators)
        rows = world.batched(r)
        per_month = step.shocks_per_month(world.n_clients, world.n_vendors)
        return cls(
            world=world,
            p=rows.parameters(),
            structure=rows.structure(),
            state=starting_state(world, r),
            month=empty_month(r, world.n_clients, world.n_vendors),
            signals=empty_signals(r, world.n_vendors),
            decided=np.zeros((r, world.n_vendors), DECIDED),
            shocks=Shocks(generators, per_month, months or world.months),
        )

    def advance(self) -> None:
        """Simulate one month of every replicate in place."""
        s, t = self.state, self.state.month
        apply_due(self.world.events, t, s, self.world)
        shocks, j = self.shocks.at(t)
        spread(step.advance, s.replicates, self.p, self.structure, s.vendors, s.clients, s.pairs,
               s.trend, s.labour, s.rings, t, shocks, j, self.month, self.signals,
               self.decided)  # fmt: skip
        s.month += 1

    def choose(self) -> None:
        """Events due, demand and the shares clients want (then clients renew)."""
        s, t = self.state, self.state.month
        apply_due(self.world.events, t, s, self.world)
        shocks, j = self.shocks.at(t)
        spread(step.choose_phase, s.replicates, self.p, s.vendors, s.clients, s.pairs, t,
               shocks, j, self.month)  # fmt: skip

    def deliver(self) -> None:
        """Allocation, learning, finances, staffing and signals (then vendors decide)."""
        s, t = self.state, self.state.month
        shocks, j = self.shocks.at(t)
        spread(step.deliver_phase, s.replicates, self.p, self.structure, s.vendors, s.pairs,
               s.trend, s.labour, s.rings, t, shocks, j, self.month, self.signals)  # fmt: skip

    def close(self) -> None:
        """Decisions apply, defections are found, conflicts fade; the month ends."""
        s = self.state
        spread(step.close_phase, s.replicates, self.p, self.structure, s.vendors, s.pairs,
               s.labour, s.rings, s.month, self.month, self.decided)  # fmt: skip
        s.month += 1

    def defections(self) -> dict[str, np.ndarray]:
        """The defections found in the month just closed, one entry per defection."""
        pairs = self.month.pairs
        r, c = np.nonzero(self.month.clients["defections"])  # (few: no scan of every pair)
        found, v = np.nonzero(pairs["defected"][r, c])
        r, c = r[found], c[found]
        return {
            "replicate": r,
            "month": np.full(r.shape, self.state.month - 1),
            "client": c,
            "vendor": v,
            "driver": pairs["driver"][r, c, v],
            "share_before": pairs["share_before"][r, c, v],
            "share_after": pairs["vendor_share"][r, c, v],
        }
