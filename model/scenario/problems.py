"""How every input problem is told: where it is, what is wrong, what is allowed, a near name.

`ScenarioError` holds every problem found in a scenario; its sibling errors in the other
layers (sweep files, run folders, calibration inputs) share the one base
`labelmarket.errors.InputError`, which the command line reports with exit code 2.
"""

from __future__ import annotations

import difflib
import typing
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from labelmarket.errors import InputError
from labelmarket.model.scenario.events import BY_TAG
from labelmarket.model.scenario.events import BY_TAG as tags
from labelmarket.model.scenario.schema import Scenario

MAX_SHOWN = 20
"""Problems listed in one message; the rest are counted (a file can hold thousands)."""


def shorten(text: Any, limit: int = 60) -> str:
    """A key, path or value from the input, cut to `limit` characters for a message."""
    text = str(text)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def did_you_mean(word: str, options: Iterable[str], cutoff: float = 0.5) -> str:
    """`; did you mean 'x'?` for the nearest option, or an empty string."""
    near = difflib.get_close_matches(str(word), list(options), n=1, cutoff=cutoff)
    return f"; did you mean '{near[0]}'?" if near else ""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a scenario: where it is and what is allowed."""

    file: str
    field: str
    message: str

    def __str__(self) -> str:
        """Render as `file: field: message`."""
        if self.field:
            return f"{self.file}: {shorten(self.field, 120)}: {self.message}"
        return f"{self.file}: {self.message}"


class ScenarioError(InputError):
    """A scenario that cannot be used, with every problem found."""

    heading = "error in scenario"

    def __init__(self, problems: list[Problem], total: int = 0):
        self.problems = problems
        self.total = max(total, len(problems))
        lines = [str(p) for p in problems[:MAX_SHOWN]]
        if self.total > len(lines):
            more = self.total - len(lines)
            lines.append(f"... and {more:,} more problems (the first {len(lines)} are shown)")
        super().__init__("\n".join(lines))


def from_pydantic(file: str, data: dict, err: dict) -> Problem:
    """Turn one pydantic error into a Problem with a readable field path and hint."""
    loc = list(err["loc"])
    field = _field_path(data, loc)
    if err["type"] == "extra_forbidden":
        allowed = sorted(_allowed_fields(loc[:-1], data))
        hint = did_you_mean(str(loc[-1]), allowed) or ";"
        return Problem(file, field, f"unknown field{hint} allowed: {', '.join(allowed)}")
    message = err["msg"].removeprefix("Value error, ")
    if err["type"] == "missing":
        message = "required field is missing"
    elif err["type"] == "string_pattern_mismatch":
        message = f"expected a month as YYYY-MM, got {shorten(repr(err.get('input')), 40)}"
    return Problem(file, field, message)


def _field_path(data: Any, loc: list) -> str:
    """`vendors[Scale AI].quality.expert` from a pydantic location."""
    out, node = "", data
    for part in loc:
        if isinstance(part, int):
            item = node[part] if isinstance(node, list) and part < len(node) else None
            name = item.get("name") if isinstance(item, dict) else None
            out += f"[{name}]" if name else f"[{part}]"
            node = item
        elif isinstance(node, dict) and part in node:
            out, node = (f"{out}.{part}" if out else str(part)), node[part]
        elif part in _event_branches():
            continue  # pydantic's union branch name, not a field of the file
        else:
            out, node = (f"{out}.{part}" if out else str(part)), None
    return out


def _event_branches() -> set[str]:
    """Names pydantic gives the branches of the events union: class names and `type:` tags."""

    return set(BY_TAG) | {c.__name__ for c in BY_TAG.values()}


def _allowed_fields(loc: list, data: dict) -> set[str]:
    """Field names allowed at a location, for 'did you mean' hints."""

    model: type[BaseModel] | None = Scenario
    for part in loc:
        if isinstance(part, int):
            continue
        if part in tags:
            model = tags[part]
            continue
        field = model.model_fields.get(part) if model else None
        model = inner_model(field.annotation) if field else None
    return set(model.model_fields) if model else set()


def inner_model(annotation: Any) -> type[BaseModel] | None:
    """The schema block inside an annotation such as `list[VendorSpec]` or `X | None`."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = inner_model(arg)
        if found is not None:
            return found
    return None
