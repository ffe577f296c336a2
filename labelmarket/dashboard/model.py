"""A `MarketModel` built from the dashboard's controls, and the controls themselves.

The page re-creates the model with keyword arguments when a control moves, so this thin
subclass takes the key parameters and event dates as plain numbers, turns them into
`--set`-style overrides of a scenario file (validated like any override) and hands the
compiled world to `MarketModel` unchanged: the dashboard steps exactly the model the CLI
runs. Its seed S is the root seed of `labelmarket run --seed S`: the page shows that run's
replicate 0 (seeded with `replicate_seeds(S, n)[0]`, whatever n). A baseline scenario gets
the same parameter values (not the event months, which are the scenario's own). Each
control carries the unit and meaning the parameter declarations give it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from labelmarket.bundled import scenarios_dir
from labelmarket.model.charts.events import chart_events
from labelmarket.model.core.world import World
from labelmarket.model.drivers.mesa_model import MarketModel
from labelmarket.model.execution.seeds import replicate_seeds
from labelmarket.model.results.metrics import month_dates
from labelmarket.model.scenario.compile import compile_world
from labelmarket.model.scenario.fields import month_index
from labelmarket.model.scenario.listing import parameter_rows
from labelmarket.model.scenario.loading import assignment, load_scenario
from labelmarket.model.scenario.problems import ScenarioError
from labelmarket.model.scenario.schema import Scenario

SCENARIO_ENV = "LABELMARKET_DASHBOARD_SCENARIO"
BASELINE_ENV = "LABELMARKET_DASHBOARD_BASELINE"
APP = Path(__file__).with_name("app.py")
"""The Solara page `labelmarket dashboard` serves."""
LAB_FIELDS = ("conflict_sensitivity", "quality_sensitivity", "price_sensitivity")
LAB_RANGES = {  # (highest value, step) of each lab slider
    "conflict_sensitivity": (12.0, 0.25),
    "quality_sensitivity": (25.0, 0.5),
    "price_sensitivity": (5.0, 0.1),
}


@dataclass(frozen=True)
class Control:
    """One slider: the keyword it sets, what it means, its unit, value and range."""

    name: str
    label: str
    unit: str
    meaning: str
    value: float
    low: float
    high: float
    step: float
    start: str | None = None  # for event months: the scenario's first month (value 0)

    def shown(self, value: float) -> str:
        """The value as a reader wants it: a month as a date, a number with its unit."""
        if self.start is not None:
            return f"{pd.Period(self.start, 'M') + int(value):%Y-%m}"
        text = f"{int(value)}" if float(self.step).is_integer() else f"{value:.2f}"
        return f"{text} {self.unit}".strip()


def scenario_path() -> Path:
    """The scenario the dashboard opens: $LABELMARKET_DASHBOARD_SCENARIO or historical.yaml."""
    return Path(os.environ.get(SCENARIO_ENV) or scenarios_dir() / "historical.yaml")


def labs(scenario: Scenario) -> list[str]:
    """Clients in the lab segment (the sliders move all of them together)."""
    return [c.name for c in scenario.clients if c.segment == "lab"] or [
        c.name for c in scenario.clients
    ]


def overrides(scenario: Scenario, values: dict[str, Any]) -> list[str]:
    """Overrides for the slider values given (None leaves the scenario's value)."""
    out = []
    for field in LAB_FIELDS:
        value = values.get(f"labs_{field}")
        if value is not None:
            out += [assignment(f"clients.{name}.{field}", value) for name in labs(scenario)]
    if values.get("founder_exposure") is not None:
        out.append(assignment("market.founder_exposure", values["founder_exposure"]))
    dates = month_dates(scenario.start, scenario.months)
    for i in range(len(scenario.events)):
        month = values.get(f"event_{i}")
        if month is not None:
            month = int(np.clip(month, 0, len(dates) - 1))
            out.append(assignment(f"events.{i}.month", f"{dates[month]:%Y-%m}"))
    return out


class DashboardModel(MarketModel):
    """One replicate of a scenario, with the controls' values applied, stepped by the page."""

    def __init__(
        self,
        seed: int = 1,
        labs_conflict_sensitivity: float | None = None,
        labs_quality_sensitivity: float | None = None,
        labs_price_sensitivity: float | None = None,
        founder_exposure: float | None = None,
        scenario_file: str | None = None,
        **kwargs: int,
    ):
        path = Path(scenario_file) if scenario_file else scenario_path()
        base = load_scenario(path)
        values = {
            "labs_conflict_sensitivity": labs_conflict_sensitivity,
            "labs_quality_sensitivity": labs_quality_sensitivity,
            "labs_price_sensitivity": labs_price_sensitivity,
            "founder_exposure": founder_exposure,
            **kwargs,  # event_<i>: month number of event i
        }
        # `spec`, not `scenario`: mesa >= 3.5 gives `Model.scenario` a meaning of its own.
        self.spec = load_scenario(path, overrides(base, values))
        self.root_seed = int(seed)
        first = int(replicate_seeds(self.root_seed, 1)[0])  # replicate 0 of `run --seed`
        super().__init__(world=compile_world(self.spec), rng=first, collect=False)
        self.dates = month_dates(self.spec.start, self.world.months)

    def history(self, key: str) -> np.ndarray:
        """Monthly records of `key` so far for this replicate: shape (months stepped, ...)."""
        return self.records[key][:, 0]

    def event_marks(self) -> list[tuple[pd.Timestamp, str]]:
        """(date, label) of each scheduled event, for the charts."""
        return chart_events(self.spec, self.dates)


def baseline_world(path: Path, values: dict[str, Any]) -> World:
    """A baseline scenario with the sliders' parameter values (not the event months); its
    own values where the sliders name clients it does not have."""
    base = load_scenario(path)
    same = {k: v for k, v in values.items() if not k.startswith("event_")}
    try:
        scenario = load_scenario(path, overrides(base, same))
    except ScenarioError:
        scenario = base
    return compile_world(scenario)


def controls(path: Path) -> list[Control]:
    """The page's sliders, valued at the scenario's own values, with units and meanings."""
    scenario = load_scenario(path)
    declared = {row[0]: (row[1], row[3]) for row in parameter_rows()}
    lab = [c for c in scenario.clients if c.name in labs(scenario)]
    seed = "The seed S of `labelmarket run --seed S`: the page shows that run's replicate 0."
    out = [Control("seed", "Seed", "", seed, 1, 0, 99, 1)]
    for field in LAB_FIELDS:
        unit, meaning = declared[f"clients[].{field}"]
        value = float(np.mean([getattr(c, field) for c in lab]))
        high, step = LAB_RANGES[field]
        label = f"Labs' {field.replace('_', ' ').replace('conflict', 'conflict-of-interest')}"
        out.append(Control(f"labs_{field}", label, unit, meaning, value, 0.0, high, step))
    unit, meaning = declared["market.founder_exposure"]
    exposure = scenario.market.founder_exposure
    out.append(
        Control("founder_exposure", "Conflict added when a founder moves", unit, meaning,
                exposure, 0.0, 1.0, 0.05)
    )  # fmt: skip
    for i, e in enumerate(scenario.events):
        label = e.default_label() if e.label is None else e.label
        when = month_index(scenario.start, e.month)
        out.append(
            Control(f"event_{i}", f"Month of '{label}'", "", f"When the {e.type.replace('_', ' ')} "
                    "event fires.", when, 0, scenario.months - 1, 1, scenario.start)
        )  # fmt: skip
    return out
