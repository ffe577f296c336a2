"""A `MarketModel` built from slider values, for Mesa's SolaraViz dashboard.

SolaraViz re-creates the model class with keyword arguments when the user presses Reset, so
this thin subclass takes the key parameters and event dates as plain numbers, turns them
into `--set`-style overrides of a scenario file (validated like any override) and hands the
compiled world to `MarketModel` unchanged: the dashboard steps exactly the model the CLI runs.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from labelmarket.model.drivers.mesa_model import MarketModel
from labelmarket.model.results.metrics import month_dates
from labelmarket.model.scenario.compile import compile_world
from labelmarket.model.scenario.files import load_scenario
from labelmarket.model.scenario.schema import Scenario

SCENARIO_ENV = "LABELMARKET_DASHBOARD_SCENARIO"
DEFAULT_SCENARIO = Path(__file__).resolve().parents[1] / "scenarios" / "historical.yaml"
LAB_FIELDS = ("conflict_sensitivity", "quality_sensitivity", "price_sensitivity")


def scenario_path() -> Path:
    """The scenario the dashboard opens: $LABELMARKET_DASHBOARD_SCENARIO or historical.yaml."""
    return Path(os.environ.get(SCENARIO_ENV) or DEFAULT_SCENARIO)


def labs(scenario: Scenario) -> list[str]:
    """Clients in the lab segment (the sliders move all of them together)."""
    return [c.name for c in scenario.clients if c.segment == "lab"] or [
        c.name for c in scenario.clients
    ]


def overrides(scenario: Scenario, values: dict[str, Any]) -> list[str]:
    """`--set` assignments for the slider values given (None leaves the scenario's value)."""
    out = []
    for field in LAB_FIELDS:
        if values.get(f"labs_{field}") is not None:
            out += [f"clients.{name}.{field}={values[f'labs_{field}']}" for name in labs(scenario)]
    if values.get("founder_exposure") is not None:
        out.append(f"market.founder_exposure={values['founder_exposure']}")
    dates = month_dates(scenario.start, months(scenario))
    for i in range(len(scenario.events)):
        month = values.get(f"event_{i}")
        if month is not None:
            month = int(np.clip(month, 0, len(dates) - 1))
            out.append(f"events.{i}.month={dates[month]:%Y-%m}")
    return out


def months(scenario: Scenario) -> int:
    """Number of simulated months, start and end included."""
    start, end = pd.Period(scenario.start, "M"), pd.Period(scenario.end, "M")
    return (end - start).n + 1


class DashboardModel(MarketModel):
    """One replicate of a scenario, with slider values applied, stepped by SolaraViz."""

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
        base, _ = load_scenario(path)
        values = {
            "labs_conflict_sensitivity": labs_conflict_sensitivity,
            "labs_quality_sensitivity": labs_quality_sensitivity,
            "labs_price_sensitivity": labs_price_sensitivity,
            "founder_exposure": founder_exposure,
            **kwargs,  # event_<i>: month number of event i (SolaraViz needs this name)
        }
        # `spec`, not `scenario`: mesa >= 3.5 gives `Model.scenario` a meaning of its own.
        self.spec, _ = load_scenario(path, overrides(base, values))
        super().__init__(world=compile_world(self.spec), rng=int(seed), collect=False)
        self.dates = month_dates(self.spec.start, self.world.months)

    def history(self, key: str) -> np.ndarray:
        """Monthly records of `key` so far for this replicate: shape (months stepped, ...)."""
        if not self.records:
            return np.zeros((0, *self.last(key).shape))
        return np.stack([r[key][0] for r in self.records])

    def event_marks(self) -> list[tuple[pd.Timestamp, str]]:
        """(date, label) of each scheduled event, for the charts."""
        from labelmarket.model.charts.events import chart_events

        return chart_events(self.spec, self.dates)


def slider_params(path: Path) -> dict[str, Any]:
    """SolaraViz `model_params`: the scenario's current values as slider defaults."""
    from mesa.visualization import Slider

    scenario, _ = load_scenario(path)
    lab = [c for c in scenario.clients if c.name in labs(scenario)]
    mean = {f: float(np.mean([getattr(c, f) for c in lab])) for f in LAB_FIELDS}
    params: dict[str, Any] = {
        "scenario_file": str(path),
        "seed": Slider("Random seed", 1, 0, 99, 1),
        "labs_conflict_sensitivity": Slider(
            "Labs' conflict-of-interest sensitivity", mean["conflict_sensitivity"], 0.0, 12.0, 0.5
        ),
        "labs_quality_sensitivity": Slider(
            "Labs' quality sensitivity", mean["quality_sensitivity"], 0.0, 25.0, 0.5
        ),
        "labs_price_sensitivity": Slider(
            "Labs' price sensitivity", mean["price_sensitivity"], 0.0, 5.0, 0.1
        ),
        "founder_exposure": Slider(
            "Conflict added when a founder moves", scenario.market.founder_exposure, 0.0, 1.0, 0.05
        ),
    }
    from labelmarket.model.scenario.fields import month_index

    for i, e in enumerate(scenario.events):
        label = e.label or e.type.replace("_", " ")
        params[f"event_{i}"] = Slider(
            f"Month of '{label}' (0 = {scenario.start})",
            month_index(scenario.start, e.month),
            0,
            months(scenario) - 1,
            1,
        )
    return params
