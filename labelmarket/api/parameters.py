"""Every parameter a scenario may set, by the path an override takes, as a table."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from labelmarket.model.scenario.listing import override_rows
from labelmarket.model.scenario.loading import Overrides, load_scenario
from labelmarket.model.scenario.schema import Scenario


def parameters(
    scenario: str | Path | Scenario | None = None, overrides: Overrides = None
) -> pd.DataFrame:
    """Every parameter a scenario may set, by the path an override takes.

    Returns one row per parameter: `path` (as `overrides=` and `--set` take it), `unit`,
    `value`, `allowed` (the range), `meaning`. Without a scenario the paths name their
    items by placeholders (`clients.<client>.conflict_sensitivity`) and `value` is the
    default; with one (a bundled name, a path or a `Scenario`, with `overrides`), one row
    per vendor, client and event it has and its own value::

        >>> table = lm.parameters("historical")
        >>> table.set_index("path").loc["clients.Google.conflict_sensitivity", "unit"]
        'utility / ownership share'
    """
    resolved = None if scenario is None else load_scenario(scenario, overrides).resolved
    rows = override_rows(resolved)
    columns = ["path", "unit", "value", "allowed", "meaning"]
    return pd.DataFrame([{k: r[k] for k in columns} for r in rows], columns=columns)
