"""The Mesa driver: one replicate of the market as a `mesa.Model` with real agents.

The monthly rules are the batched engine's own compiled phases (`model.core.batch`) run on
a batch of one, with shocks drawn from `model.rng`; clients renew their contracts and
vendors decide through the agents' own methods. So for the same world and seed this
model and `model.drivers.batched.run_batch` give identical numbers (tests check it), and a
subclassed agent changes what this driver does.

    model = MarketModel("historical", {"clients.Google.conflict_sensitivity": 8}, rng=7)
    while model.running:
        model.step()

    if __name__ == "__main__":  # batch_run's worker processes start by importing this file
        rows = mesa.batch_run(
            MarketModel, {"scenario_file": "historical", "rng": [1, 2, 3, 4, 5]},
            number_processes=2,
        )

Seeds go in the parameters (`"rng": [...]`), which every supported mesa passes to the
model (mesa 3.5 deprecates `iterations`). The last row of each run is the horizon's month
on every supported mesa: mesa before 3.5 reads the data collected one step before the
last, so there the model takes one closing step after the horizon that only collects the
final state again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import mesa
import numpy as np

from labelmarket.model.core import decisions
from labelmarket.model.core.batch import Batch
from labelmarket.model.core.record import History
from labelmarket.model.core.state import MarketState
from labelmarket.model.core.world import World
from labelmarket.model.drivers.agents import Client, Vendor, reporters
from labelmarket.model.drivers.batched import RunResult
from labelmarket.model.scenario.compile import compile_world
from labelmarket.model.scenario.loading import load_scenario


def load_world(scenario_file: str | Path, overrides: Sequence[str] | Mapping = ()) -> World:
    """Compile a scenario given by bundled name (`historical`) or path, with overrides."""
    return compile_world(load_scenario(scenario_file, overrides))


class MarketModel(mesa.Model):
    """The labelling market for one replicate, stepped one month at a time.

    Build it from a scenario (`scenario_file`: a bundled name or a path; `overrides`:
    `path=value` strings or a mapping, as `--set` takes them) or from a compiled `world`;
    seed it as any Mesa model (`rng=` or `seed=`).
    """

    def __init__(
        self,
        scenario_file: str | Path | World = "historical",
        overrides: Sequence[str] | Mapping = (),
        *,
        world: World | None = None,
        rng: Any = None,
        seed: Any = None,
        collect: bool = True,
        vendor_class: type[Vendor] = Vendor,
        client_class: type[Client] = Client,
        **kwargs: Any,
    ):
        super().__init__(rng=rng, seed=seed, **kwargs)
        if isinstance(scenario_file, World):
            world = scenario_file
        self.world = world if world is not None else load_world(scenario_file, overrides)
        known = rng if rng is not None else seed
        self.seed_value = int(known) if isinstance(known, int | np.integer) else None
        self.batch = Batch.start(self.world, [self.rng])
        w = self.world
        self.recorder = History.empty(w.months, 1, w.n_clients, w.n_vendors, "full")
        self.found: list[dict[str, np.ndarray]] = []
        w = self.world
        self.vendors = [
            vendor_class(self, i, name, w.business_models[w.business_model[i]])
            for i, name in enumerate(w.vendors)
        ]
        self.clients = [
            client_class(self, i, name, "lab" if w.is_lab[i] else "enterprise")
            for i, name in enumerate(w.clients)
        ]
        self.batchable = vendor_class.decide is Vendor.decide and client_class.renew is Client.renew
        self.datacollector = mesa.DataCollector(
            model_reporters={
                "month": lambda m: m.state.month,
                "total_spend": lambda m: float(m.last("revenue").sum()),
                "defections": lambda m: sum(len(d["month"]) for d in m.found),
            },
            agent_reporters=reporters(),
        )
        self.collect = collect
        if collect:
            self.datacollector.collect(self)

    @property
    def state(self) -> MarketState:
        """The market's state (arrays of one replicate: row 0)."""
        return self.batch.state

    @property
    def months_stepped(self) -> int:
        """Months simulated so far."""
        return len(self.found)

    @property
    def records(self) -> dict[str, np.ndarray]:
        """Every recorded quantity of the months stepped so far, (months, 1, ...)."""
        stepped = len(self.found)
        return {k: v[:stepped] for k, v in self.recorder.arrays().items()}

    def last(self, key: str) -> np.ndarray:
        """The last month's record of `key` for this replicate (zeros before the first step)."""
        values = self.recorder.arrays()[key]
        if not self.found:
            return np.zeros_like(values[0, 0])
        return values[len(self.found) - 1, 0]

    def _month_by_agents(self) -> None:
        """The month's phases with every client renewing and every vendor deciding itself."""
        b = self.batch
        b.choose()
        contracts, wanted = b.state.pairs["contracts"], b.month.pairs["wanted"]
        for agent in self.clients:
            c = agent.index
            contracts[0, c] = agent.renew(contracts[0, c].copy(), wanted[0, c].copy())
        b.deliver()
        for agent in self.vendors:
            decided = agent.decide(b.signals)
            decisions.write_decision(b.decided, agent.index, _checked(agent, decided))
        b.close()

    def step(self) -> None:
        """Advance one month; stop at the end of the scenario's horizon."""
        if self.months_stepped >= self.world.months:  # mesa < 3.5: the closing step
            if self.collect:
                self.datacollector.collect(self)
            self.running = False
            return
        if self.batchable:  # the agents' own methods, as the rules define them: one call
            self.batch.advance()
        else:
            self._month_by_agents()
        self.recorder.keep(len(self.found), self.batch.month, self.batch.decided)
        self.found.append(self.batch.defections())
        if self.collect:
            self.datacollector.collect(self)
        if self.state.month >= self.world.months:
            self.running = self.collect and _reads_the_step_before_last(self.datacollector)

    def result(self) -> RunResult:
        """Everything recorded so far, in the batched engine's format (one replicate)."""
        history = {k: v.copy() for k, v in self.records.items()}
        defections = {k: np.concatenate([d[k] for d in self.found]) for k in self.found[0]}
        seed = np.array([self.seed_value or 0], dtype=np.uint64)
        return RunResult(history, defections, seed)


def _reads_the_step_before_last(collector: mesa.DataCollector) -> bool:
    """Whether this mesa's batch_run reads a run's data one step before its last (before
    3.5, whose DataCollector began to record the steps it collected at)."""
    return not hasattr(collector, "_collection_steps")


def _checked(agent: Vendor, decided: Any) -> decisions.VendorDecision:
    """A vendor's decision as the typed record, refusing anything else with what it takes."""
    if isinstance(decided, decisions.VendorDecision):
        return decided
    fields = ", ".join(decisions.VendorDecision._fields)
    raise TypeError(
        f"{type(agent).__name__}.decide must return a VendorDecision ({fields}), got "
        f"{type(decided).__name__}: start from super().decide(signals) and change fields "
        "with ._replace(price=...)"
    )


def run_mesa(world: World, seed: int, collect: bool = True) -> RunResult:
    """Run one replicate through the Mesa driver to the end of the horizon."""
    model = MarketModel(world=world, rng=int(seed), collect=collect)
    while model.running:
        model.step()
    return model.result()
