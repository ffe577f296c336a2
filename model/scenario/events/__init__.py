"""Scheduled events: one module per type, each holding its schema and its effect.

Every module of this package that defines a subclass of `EventSpec` registers that event
type: the scenario schema's `events:` list accepts exactly the registered types (one
`type:` tag each), `labelmarket params` lists their fields, and compiling a scenario turns
each event into its effects on the state. Adding an event type is one new module here,
plus its test (see `docs/architecture.md`, "Recipe: add an event type").
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Annotated, Union

from pydantic import Field

from labelmarket.model.scenario.events.base import CompileContext, EventSpec


def _register() -> dict[str, type[EventSpec]]:
    """Import every event module; return the event types by their `type:` tag."""
    for info in pkgutil.iter_modules(__path__):
        if info.name != "base":
            importlib.import_module(f"{__name__}.{info.name}")
    found = {cls.tag(): cls for cls in EventSpec.__subclasses__()}
    return dict(sorted(found.items()))


BY_TAG: dict[str, type[EventSpec]] = _register()
EVENT_TYPES: tuple[type[EventSpec], ...] = tuple(BY_TAG.values())
Event = Annotated[Union[EVENT_TYPES], Field(discriminator="type")]  # noqa: UP007
"""Any registered event, told apart by its `type:` tag."""

__all__ = ["BY_TAG", "EVENT_TYPES", "CompileContext", "Event", "EventSpec"]
