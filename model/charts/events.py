"""Event marks on time axes: (date, label) for each scheduled event of a scenario or run.

Every chart that draws time (run, comparison, defection timeline, report, dashboard) marks
events the same way; an event without a label of its own gets `EventSpec.default_label`.
"""

from __future__ import annotations

import pandas as pd
from pydantic import ValidationError

from labelmarket.model.results.metrics import month_dates
from labelmarket.model.results.run import Run
from labelmarket.model.scenario.fields import month_index
from labelmarket.model.scenario.schema import Scenario

Marks = list[tuple[pd.Timestamp, str]]


def chart_events(scenario: Scenario, dates: pd.DatetimeIndex) -> Marks:
    """(date, label) of each event for the charts; an empty label draws an unlabelled line."""

    marks = []
    for e in scenario.events:
        label = e.default_label() if e.label is None else e.label
        marks.append((dates[month_index(scenario.start, e.month)], label))
    return marks


def run_events(run: Run) -> Marks:
    """(date, label) of a run folder's scenario events, labelled as `chart_events` does."""

    try:
        scenario = run.scenario
    except ValidationError:
        return []  # an older manifest: charts go without event lines rather than fail
    return chart_events(scenario, month_dates(scenario.start, len(run.dates)))


def merged_events(runs: list[Run]) -> Marks:
    """Events of every run, each (date, label) once, labels naming the scenario if not all."""
    per_run = [set(run_events(run)) for run in runs]
    shared = set.intersection(*per_run) if per_run else set()
    out: dict[tuple, None] = {}
    for run, events in zip(runs, per_run, strict=True):
        for when, label in sorted(events):
            text = label if (when, label) in shared or not label else f"{label} ({run.name})"
            out.setdefault((when, text), None)
    return list(out)
