"""What every scheduled event shares: when it fires, how charts label it, how it compiles."""

from __future__ import annotations

import typing
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

import numpy as np
from pydantic import Field

from labelmarket.model.core.world import TIERS
from labelmarket.model.scenario.fields import Strict, YearMonth, month_index

if TYPE_CHECKING:
    from labelmarket.model.core.effects import Effect


@dataclass
class CompileContext:
    """Names and dates of one scenario, as the indices and month numbers the rules use."""

    start: str
    horizon: int  # index of the last simulated month
    vendors: dict[str, int]
    clients: dict[str, int]
    entry_month: np.ndarray  # (V,) month each vendor opens; an entrant event sets its own

    def month(self, year_month: str) -> int:
        """Month number of YYYY-MM, 0 for the first simulated month."""
        return month_index(self.start, year_month)

    def vendor(self, name: str | None) -> int | None:
        """Index of a vendor (None stays None: every vendor)."""
        return None if name is None else self.vendors[name]

    def client(self, name: str | None) -> int | None:
        """Index of a client (None stays None: every client)."""
        return None if name is None else self.clients[name]

    @staticmethod
    def tier(name: str | None) -> int | None:
        """Index of a task tier (None stays None: both tiers)."""
        return None if name is None else TIERS.index(name)


class EventSpec(Strict):
    """Base of every event type. A subclass adds `type: Literal[...]`, its fields, `effects`.

    `references` maps each field naming a vendor or client to which of the two it names,
    so the scenario checks can find unknown names and charts can label the event.
    """

    month: YearMonth = Field(..., description="Month the event takes effect (YYYY-MM).")
    label: str | None = Field(None, description="Short text drawn on charts (default: generated).")
    references: ClassVar[dict[str, str]] = {"client": "client", "vendor": "vendor"}

    @classmethod
    def tag(cls) -> str:
        """The `type:` value naming this event in a scenario file."""
        return typing.get_args(cls.model_fields["type"].annotation)[0]

    def effects(self, at: CompileContext) -> list[Effect]:
        """What the event does to the state, with names and dates resolved."""
        raise NotImplementedError

    def default_label(self) -> str:
        """Chart label when the scenario gives none: `investment: Meta / Scale AI`."""
        who = [getattr(self, field, None) for field in self.references]
        return f"{self.tag().replace('_', ' ')}: {' / '.join(w for w in who if w)}"
