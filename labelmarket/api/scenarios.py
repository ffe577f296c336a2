"""Scenarios and what they are made of: load one, list the bundled ones, their parameters.

A scenario is named by path or by the name of one shipped with labelmarket; overrides map
parameter paths (`clients.Google.conflict_sensitivity`) to values in the units
`api.parameters.parameters()` lists.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from labelmarket.bundled import SCENARIO_SUFFIXES, scenario_names, scenarios_dir
from labelmarket.model.scenario.loading import Overrides, load_scenario
from labelmarket.model.scenario.schema import Scenario

__all__ = ["Overrides", "Scenario", "bundled", "load_scenario", "scenarios"]


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
