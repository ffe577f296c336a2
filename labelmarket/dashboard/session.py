"""One browser session's market: its controls, its model, its baseline and bands, its charts.

The Mesa model steps the scenario month by month (replicate 0 of `run --seed S`); the
baseline's path and the replicate bands are run once for the whole horizon by the batched
engine (`dashboard.paths`) and revealed up to the month shown. A control that moves re-runs
the market to the month shown; choosing another baseline or band re-runs only those. Every
action is timed, so the page can say what a step or an overlay cost.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

from labelmarket.bundled import scenarios_dir
from labelmarket.dashboard import charts, rows
from labelmarket.dashboard.model import DashboardModel, baseline_world, controls
from labelmarket.dashboard.paths import Trajectory, share_of, trajectory
from labelmarket.model.charts.style import vendor_colours
from labelmarket.model.scenario.loading import load_scenario

BANDS = (0, 20, 100)  # replicates behind the shaded band (0: none)


def default_baseline(path: Path) -> Path | None:
    """The bundled no-deal world, when the scenario is another world of the same market."""
    candidate = scenarios_dir() / "no_deal.yaml"
    if not candidate.is_file() or candidate.resolve() == Path(path).resolve():
        return None
    mine, theirs = load_scenario(path), load_scenario(candidate)
    same = [c.name for c in mine.clients] == [c.name for c in theirs.clients]
    same = same and [v.name for v in mine.vendors] == [v.name for v in theirs.vendors]
    return candidate if same else None


class Session:
    """A market, its overlays and its charts' rows, one per browser session."""

    def __init__(self, path: Path, baseline: Path | None = None, band: int = 20):
        self.path = path
        self.controls = controls(path)
        self.values: dict[str, float] = {c.name: c.value for c in self.controls}
        self.baseline_path, self.band = baseline, band
        self.lock = threading.Lock()
        self.timing = {"model": 0.0, "charts": 0.0, "overlay": 0.0}
        self.last = "step"  # what the timing measured: a step, a re-run, an overlay
        self.model = self._build()
        self._overlay()
        self._draw()

    def _build(self) -> DashboardModel:
        """A fresh model at the first month with the current values."""
        values = {
            k: (int(v) if k == "seed" or k.startswith("event_") else v)
            for k, v in self.values.items()
        }
        return DashboardModel(scenario_file=str(self.path), **values)

    def _overlay(self) -> None:
        """The scenario's band and the baseline's path, for the whole horizon, timed."""
        started = time.perf_counter()
        seed, n = self.model.root_seed, self.band
        self.scenario_band = trajectory(self.model.world, seed, n) if n > 1 else None
        self.base: Trajectory | None = None
        if self.baseline_path is not None:
            self.base = trajectory(baseline_world(self.baseline_path, self.values), seed, n)
        self.timing["overlay"] = time.perf_counter() - started
        self.specs = self._specs()

    @property
    def baseline_name(self) -> str | None:
        """The baseline scenario's file stem (its name on the page), or None."""
        return None if self.baseline_path is None else self.baseline_path.stem

    def _specs(self) -> dict[str, dict[str, Any]]:
        """The three charts' specs for this market and baseline."""
        vendors = list(self.model.world.vendors)
        colours = list(vendor_colours(vendors).values())
        runs = [self.model.spec.name] + ([self.baseline_name] if self.base is not None else [])
        bars = [
            c
            for client in self.model.world.clients
            for c in [client] + [f"{client} ({r})" for r in runs[1:]]
        ]
        return {
            "share": charts.lines_spec(
                "Market share by vendor", "%", vendors, colours, runs, self.model.dates
            ),
            "workforce": charts.lines_spec(
                "Workforce by vendor (both tiers)",
                "thousand workers",
                vendors,
                colours,
                runs,
                self.model.dates,
            ),
            "allocation": charts.allocation_spec(vendors, colours, bars),
        }

    def _draw(self) -> None:
        """Every chart's rows at the month shown, timed."""
        started = time.perf_counter()
        model, shown = self.model, self.model.months_stepped
        vendors, dates = list(model.world.vendors), model.dates
        band = self.scenario_band
        live_share = share_of(model.history("revenue"))
        live_staff = model.history("workforce").sum(axis=-1)
        if not shown:  # before month one: the starting point, on real axes
            start = rows.start_series(model)
            live_share, live_staff, band, shown_lines = start["share"], start["workforce"], None, 1
        else:
            shown_lines = shown
        base = None if self.base is None or not shown else (self.baseline_name, self.base)
        share = rows.trajectory_runs(
            (model.spec.name, live_share, None if band is None else band.share_band), base, "share"
        )
        staff = rows.trajectory_runs(
            (model.spec.name, live_staff, None if band is None else band.workforce_band),
            base,
            "workforce",
        )
        spend = [(model.spec.name, rows.spend_at(model, shown))]
        if self.base is not None:
            start = rows.start_spend(model)
            spend.append((self.baseline_name, self.base.spend[shown - 1] if shown else start))
        allocation, _ = rows.allocation_rows(list(model.world.clients), vendors, spend)
        self.rows = {
            "share": rows.line_rows(dates, vendors, share, shown_lines),
            "workforce": rows.line_rows(dates, vendors, staff, shown_lines, scale=1e-3),
            "allocation": allocation,
        }
        self.timing["charts"] = time.perf_counter() - started

    @property
    def done(self) -> bool:
        """True once the last month of the scenario has been simulated."""
        return self.model.months_stepped >= self.model.world.months

    def step(self) -> None:
        """Simulate one more month and redraw."""
        with self.lock:
            if self.done:
                return
            started = time.perf_counter()
            self.model.step()
            self.timing["model"] = time.perf_counter() - started
            self._draw()
            self.last = "step"

    def reset(self) -> None:
        """Back to the first month with the current values."""
        with self.lock:
            self.model = self._build()
            self._draw()

    def set(self, name: str, value: float) -> None:
        """Change one control and re-run the market (and its overlays) to the month shown."""
        with self.lock:
            shown = self.model.months_stepped
            self.values[name] = value
            started = time.perf_counter()
            self.model = self._build()
            for _ in range(shown):
                self.model.step()
            self.timing["model"] = time.perf_counter() - started
            self._overlay()
            self._draw()
            self.last = "re-run"

    def overlay(self, baseline: Path | None, band: int) -> None:
        """Show another baseline (None: none) or band; the scenario's path stays."""
        with self.lock:
            self.baseline_path, self.band = baseline, band
            self._overlay()
            self._draw()
            self.last = "overlay"
