"""Client pause: a client stops buying from one vendor (or the whole market) for a while."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from labelmarket.model.core.state import MarketState
from labelmarket.model.core.world import World
from labelmarket.model.scenario.events.base import CompileContext, EventSpec
from labelmarket.model.scenario.fields import P


class ClientPause(EventSpec):
    """A client stops buying from one vendor (or the whole market), for a while or for good."""

    type: Literal["client_pause"]
    client: str
    vendor: str | None = None
    months: int | None = P(None, "months", "Length of the pause; none means an exit.", ge=1, le=600)

    def effects(self, at: CompileContext) -> list[ClientPauseEffect]:
        """The pause, and its end when it ends inside the horizon."""
        m, c, v = at.month(self.month), at.clients[self.client], at.vendor(self.vendor)
        out = [ClientPauseEffect(m, c, v)]
        if self.months is not None and m + self.months <= at.horizon:
            out.append(ClientPauseEffect(m + self.months, c, v, resume=True))
        return out


@dataclass(frozen=True)
class ClientPauseEffect:
    """Block (or, with `resume`, unblock) a client's purchases from a vendor or from all."""

    month: int
    client: int
    vendor: int | None = None
    resume: bool = False

    def apply(self, state: MarketState, world: World) -> None:
        """Block (or unblock, for the matching resume) the client's purchases."""
        cols = slice(None) if self.vendor is None else self.vendor
        state.pairs["blocked"][:, self.client, cols] = not self.resume
