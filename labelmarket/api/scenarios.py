"""Scenarios and what they are made of: load one, list the bundled ones, their parameters.

A scenario is named by path or by the name of one shipped with labelmarket; overrides map
parameter paths (`clients.Google.conflict_sensitivity`) to values in the units
`parameters()` lists.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import yaml

from labelmarket.bundled import SCENARIO_SUFFIXES, scenario_names, scenarios_dir
from labelmarket.model.scenario.listing import override_rows
from labelmarket.model.scenario.loading import Overrides, load_scenario
from labelmarket.model.scenario.schema import Scenario

__all__ = ["Overrides", "Scenario", "bundled", "load_scenario", "parameters", "scenarios"]


def scenarios() -> list[str]:
    """Names of the scenarios shipped with labelmarket, each of which loads by name.

    Returns the names sorted (`['calibrated', 'exclusive_deal', ..., 'historical', ...]`);
    `labelmarket scenarios` prints what each asks::

        >>> "historical" in lm.scenarios()
        True
    """
    return scenario_names()


def bundled(sweeps: bool = False) -> tuple[Path, list[tuple[str, str]]]:
    """The bundled scenarios' folder (or sweep files') and each file's (name, description)."""
    folder = scenarios_dir() / "sweeps" if sweeps else scenarios_dir()
    files = sorted(p for p in folder.iterdir() if p.suffix in SCENARIO_SUFFIXES)
    return folder, [(path.stem, _description(path)) for path in files]


def _description(path: Path) -> str:
    """A file's `description:` (or nothing), on one line."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    text = data.get("description") if isinstance(data, dict) else None
    return " ".join(str(text or "").split())


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
