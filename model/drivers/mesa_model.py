"""The Mesa driver: one replicate of the market as a `mesa.Model` with real agents.

The monthly rules are the batched engine's own (`model.step.advance`) applied to a batch of
one, with shocks drawn from `model.rng`; so for the same world and seed this model and
`model.engine.run_batch` give identical numbers (tests check it).
"""

from __future__ import annotations

import mesa
import numpy as np

from labelmarket.model.core.state import initial_state
from labelmarket.model.core.step import advance
from labelmarket.model.core.world import World
from labelmarket.model.drivers.agents import Client, Vendor
from labelmarket.model.drivers.batched import RunResult


class MarketModel(mesa.Model):
    """The labelling market for one replicate, stepped one month at a time."""

    def __init__(self, world: World, seed: int, collect: bool = True):
        super().__init__(rng=int(seed))  # `rng=` works on mesa 3.3 and on newer 3.x
        self.world = world
        self.seed_value = int(seed)
        self.batched = world.batched(1)
        self.state = initial_state(self.batched)
        self.records: list[dict[str, np.ndarray]] = []
        self.client_spend = np.zeros(world.n_clients)  # last month's, for the agents
        self.found: list[dict[str, np.ndarray]] = []
        self.vendors = [
            Vendor(self, i, name, world.business_models[world.business_model[i]])
            for i, name in enumerate(world.vendors)
        ]
        self.clients = [
            Client(self, i, name, "lab" if world.is_lab[i] else "enterprise")
            for i, name in enumerate(world.clients)
        ]
        self.datacollector = (
            mesa.DataCollector(
                model_reporters={"total_spend": lambda m: float(m.last("revenue").sum())},
                agenttype_reporters={
                    Vendor: {"revenue": "revenue", "workforce": "headcount"},
                    Client: {"spend": "spend"},
                },
            )
            if collect
            else None
        )

    def last(self, key: str) -> np.ndarray:
        """The last month's record of `key` for this replicate (zeros before the first step)."""
        if not self.records:
            shape = {"revenue": (self.world.n_vendors,), "valuation": (self.world.n_vendors,)}
            return np.zeros(shape.get(key, (self.world.n_clients, self.world.n_vendors, 2)))
        return self.records[-1][key][0]

    def step(self) -> None:
        """Advance one month; stop at the end of the scenario's horizon."""
        record, defections = advance(self.batched, self.state, [self.rng])
        self.records.append({k: v.copy() for k, v in record.items()})
        self.client_spend = record["spend"][0].sum(axis=(1, 2))
        self.found.append(defections)
        if self.datacollector is not None:
            self.datacollector.collect(self)
        if self.state.month >= self.world.months:
            self.running = False

    def result(self) -> RunResult:
        """Everything recorded so far, in the batched engine's format (one replicate)."""
        history = {k: np.stack([r[k] for r in self.records]) for k in self.records[0]}
        defections = {k: np.concatenate([d[k] for d in self.found]) for k in self.found[0]}
        return RunResult(history, defections, np.array([self.seed_value], dtype=np.uint64))


def run_mesa(world: World, seed: int, collect: bool = True) -> RunResult:
    """Run one replicate through the Mesa driver to the end of the horizon."""
    model = MarketModel(world, seed, collect=collect)
    while model.running:
        model.step()
    return model.result()
