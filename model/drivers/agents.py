"""Mesa agents: vendors and clients whose attributes are views of their row in the arrays.

The rules run at model level on arrays (one replicate); an agent reads and writes its own
row, and takes its own decisions: each month the model asks every client to `renew` its
contracts and every vendor to `decide` next month's price, pay and expert push (by its
policies). A Mesa user extends the market by subclassing an agent and overriding one of
these methods (`MarketModel(vendor_class=MyVendor)`); the Mesa driver then runs it, while
the batched engine, which runs only the registered policies, cannot (the model's
`batchable` says so). The market's members are its scenario's: agents are not added or
removed at run time (add a vendor to the scenario with a `new_entrant` event, or pause a
client with `client_pause`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import mesa
import numpy as np

from labelmarket.model.core import decisions
from labelmarket.model.core.decisions import VendorDecision
from labelmarket.model.core.strategies import switching

if TYPE_CHECKING:
    from labelmarket.model.core.strategies import Signals
    from labelmarket.model.drivers.mesa_model import MarketModel


class MarketAgent(mesa.Agent):
    """A member of the market: row `index` of its kind's arrays."""

    kind = "agent"

    def __init__(self, model: MarketModel, index: int, name: str):
        size = model.world.n_vendors if self.kind == "vendor" else model.world.n_clients
        if not 0 <= index < size:
            raise ValueError(
                f"a {self.kind} cannot be added at run time: the market's members are its "
                "scenario's (add one to the scenario, with a new_entrant event for a vendor)"
            )
        super().__init__(model)
        self.index = index
        self.name = name

    def remove(self) -> None:
        """Refused: the arrays every rule reads would lose a row."""
        raise ValueError(
            f"{self.name} cannot be removed at run time: pause it with a client_pause event "
            "(a client, or a vendor for every client) in the scenario instead"
        )


class Vendor(MarketAgent):
    """A labelling vendor. Override `decide` to give it a strategy of your own."""

    kind = "vendor"

    def __init__(self, model: MarketModel, index: int, name: str, business_model: str):
        super().__init__(model, index, name)
        self.business_model = business_model

    def decide(self, signals: Signals) -> VendorDecision:
        """Next month's price, pay and push by this vendor's policies.

        `signals` holds what every vendor sees (arrays (1, V, ...)); read column
        `self.index`. Return a `VendorDecision` (change its fields with `._replace`).
        """
        b = self.model.batch
        decisions.decide_vendor(b.p, b.structure, signals, 0, self.index, b.decided)
        return decisions.decision_of(b.decided, self.index)

    def _row(self, name: str) -> np.ndarray:
        return self.model.state.vendors[name][0, self.index]

    @property
    def workforce(self) -> np.ndarray:
        """Workers per tier (generalist, expert); writable."""
        return self._row("workforce")

    @workforce.setter
    def workforce(self, value: np.ndarray) -> None:
        self.model.state.vendors["workforce"][0, self.index] = value

    @property
    def quality(self) -> np.ndarray:
        """True quality per tier (0-1); writable."""
        return self._row("quality")

    @quality.setter
    def quality(self, value: np.ndarray) -> None:
        self.model.state.vendors["quality"][0, self.index] = value

    @property
    def price(self) -> np.ndarray:
        """Price per tier ($ / task-hour); writable."""
        return self._row("price")

    @price.setter
    def price(self, value: np.ndarray) -> None:
        self.model.state.vendors["price"][0, self.index] = value

    @property
    def wage(self) -> np.ndarray:
        """Pay per worker-month per tier ($)."""
        return self._row("wage")

    @property
    def push(self) -> float:
        """Expert push, 0..1 (skill-mix strategy)."""
        return float(self._row("push"))

    @property
    def cash(self) -> float:
        """Cash ($)."""
        return float(self._row("cash"))

    @property
    def revenue(self) -> float:
        """Revenue in the last simulated month ($)."""
        return float(self.model.last("revenue")[self.index])

    @property
    def valuation(self) -> float:
        """Valuation after the last month ($)."""
        return float(self.model.last("valuation")[self.index])

    @property
    def stakes(self) -> dict[str, float]:
        """Share of this vendor owned by each client holding a stake."""
        held = self.model.state.pairs["stake"][0, :, self.index]
        return {c: float(s) for c, s in zip(self.model.world.clients, held, strict=True) if s}

    @property
    def headcount(self) -> float:
        """All workers, both tiers."""
        return float(self.workforce.sum())


class Client(MarketAgent):
    """A buyer of labelled data. Override `renew` to give it a switching rule of its own."""

    kind = "client"

    def __init__(self, model: MarketModel, index: int, name: str, segment: str):
        super().__init__(model, index, name)
        self.segment = segment

    def renew(self, contracts: np.ndarray, wanted: np.ndarray) -> np.ndarray:
        """This month's contract shares (V, 2) from last month's and the wanted ones."""
        rho = float(self.model.batch.p.client["contract_renewal"][0, self.index])
        out = np.empty_like(contracts)
        for v in range(len(contracts)):
            switching.renewed(contracts[v], wanted[v], rho, out[v])
        return out

    @property
    def beliefs(self) -> np.ndarray:
        """Believed quality of each vendor per tier (V, 2); writable."""
        return self.model.state.pairs["belief_mean"][0, self.index]

    @beliefs.setter
    def beliefs(self, value: np.ndarray) -> None:
        self.model.state.pairs["belief_mean"][0, self.index] = value

    @property
    def spend(self) -> float:
        """Total spend in the last simulated month ($)."""
        return float(self.model.last("spend")[self.index].sum())

    @property
    def spend_by_vendor(self) -> dict[str, float]:
        """Last month's spend at each vendor ($)."""
        by_vendor = self.model.last("spend")[self.index].sum(axis=-1)
        return dict(zip(self.model.world.vendors, map(float, by_vendor), strict=True))


def reporters() -> dict[str, Any]:
    """Agent-level DataCollector reporters (one row per agent and month, both kinds)."""
    value = lambda name: lambda a: getattr(a, name, None)  # noqa: E731
    return {
        "kind": "kind",
        "name": "name",
        "revenue": value("revenue"),
        "workforce": value("headcount"),
        "valuation": value("valuation"),
        "spend": value("spend"),
    }
