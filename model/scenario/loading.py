"""One way in: a scenario by bundled name or path, with overrides, read, checked and remembered.

Every front door (the Python API, the command line, the Mesa model, the dashboard, sweeps
and calibration) loads scenarios here, so a name resolves the same way everywhere and an
override is written one way: `path=value`, the value as YAML reads it (a mapping's values
are written as JSON, which YAML reads back: `None` becomes `null`, `"x"` stays a string).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from labelmarket.bundled import resolve_scenario
from labelmarket.model.scenario.files import read_scenario, validated
from labelmarket.model.scenario.schema import Scenario

Overrides = Mapping[str, Any] | Iterable[str] | None
"""Overrides by parameter path: `{"clients.Google.conflict_sensitivity": 2.0}`, or the
`path=value` strings `--set` takes."""


def assignment(path: str, value: Any) -> str:
    """The override `path=value`, the value written so that YAML reads it back unchanged."""
    return f"{path}={json.dumps(value, default=_plain)}"


def _plain(value: Any) -> Any:
    """numpy scalars and dates as the plain values JSON writes."""
    item = getattr(value, "item", None)
    return item() if callable(item) else str(value)


def assignments(overrides: Overrides) -> list[str]:
    """Overrides as `path=value` strings, in the order given."""
    if overrides is None:
        return []
    if isinstance(overrides, Mapping):
        return [assignment(str(path), value) for path, value in overrides.items()]
    if isinstance(overrides, str):
        return [overrides]
    return [str(item) for item in overrides]


def load_scenario(scenario: str | Path | Scenario, overrides: Overrides = None) -> Scenario:
    """Read, override and validate a scenario given by path or bundled name (`"historical"`).

    `overrides` map parameter paths to values in the units `lm.parameters()` lists, e.g.
    `{"clients.Google.conflict_sensitivity": 2.0}` (utility per unit of rival ownership)
    or `{"market.founder_exposure": 0.1}` (ownership share); a list of `"path=value"`
    strings, as `--set` takes them, works too. A `Scenario` given is returned as it is (or
    with the overrides added).

    Returns the validated `Scenario`: its fields (`start`, `end`, `market`, `vendors`,
    `clients`, `events`), `months`, the `file` it was read from and the `overrides`
    applied. Raises `ScenarioError` (an `InputError`) naming the file, the field and
    what is allowed::

        >>> s = lm.load_scenario("historical", {"clients.Google.conflict_sensitivity": 2.0})
        >>> s.months, s.overrides
        (36, ('clients.Google.conflict_sensitivity=2.0',))
    """
    if isinstance(scenario, Scenario):
        if not overrides:
            return scenario
        added = assignments(overrides)
        found = validated(scenario.resolved, scenario.file or Path(scenario.name), added)
        return found.read_from(scenario.file, (*scenario.overrides, *added))
    path = resolve_scenario(scenario)
    named = path != Path(scenario)  # a bundled scenario given by its name
    label = f"{path.stem} (bundled)" if named else None  # not where it is installed
    return read_scenario(path, assignments(overrides), label)
