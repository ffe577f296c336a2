"""A run: a scenario's replicates, their tidy tables, their manifest and where they came from.

One type whether the replicates were simulated in this process (`lm.run`), streamed to a
folder (`labelmarket run`) or read back from one (`lm.read_run`): its tables are derived
from the engine's arrays, or read from the folder, on first use. Comparisons, reports and
charts take any of them.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from labelmarket.errors import InputError
from labelmarket.model.core.business_models import BUSINESS_MODELS
from labelmarket.model.core.world import World
from labelmarket.model.drivers.batched import RunResult
from labelmarket.model.results import tables
from labelmarket.model.results.posterior import Ensemble
from labelmarket.model.results.tidy import unstack
from labelmarket.model.scenario.schema import Scenario

VENDOR_HISTORY = (
    "workforce_generalist", "workforce_expert", "revenue", "valuation", "layoffs", "expert_push",
)  # fmt: skip


def business_model_members(vendors: list[tuple[str, str]]) -> dict[str, list[str]]:
    """Each business model of the registry, in its order, with its vendors (name, model)."""
    return {m.name: [name for name, model in vendors if model == m.name] for m in BUSINESS_MODELS}


class Run:
    """A scenario's replicates: tidy tables, manifest and provenance.

    `timeseries` (tidy: replicate, month, date, client, vendor, metric, value), `summary`
    (one row per replicate) and `defections` (one row per defection) are DataFrames;
    `path` is the folder it was written to or read from (None while only in memory).
    """

    def __init__(
        self,
        manifest: dict[str, Any],
        *,
        path: Path | None = None,
        scenario: Scenario | None = None,
        world: World | None = None,
        result: RunResult | None = None,
        ensemble: Ensemble | None = None,
        tables: dict[str, pd.DataFrame] | None = None,
        charts: dict[str, Path] | None = None,
    ) -> None:
        self.manifest = manifest
        self.path = path
        self.world = world  # the compiled world, when simulated in this process
        self.result = result  # the engine's arrays, when simulated and kept in memory
        self.ensemble = ensemble  # each replicate's posterior draw, when drawn
        self.charts = dict(charts or {})
        self.timings: dict[str, float] = {}  # seconds per stage, when simulated here
        if scenario is not None:
            self.__dict__["scenario"] = scenario
        for name, frame in (tables or {}).items():
            self.__dict__[name] = frame

    def __repr__(self) -> str:
        """Which scenario, how many replicates, which seed, where."""
        where = f", in {self.path}" if self.path else ""
        seed = self.manifest.get("seed")
        return f"<Run {self.name}: {len(self.seeds)} replicates, seed {seed}{where}>"

    @property
    def name(self) -> str:
        """The scenario's name (the folder's name when the manifest has none)."""
        return str(self.resolved.get("name") or (self.path.name if self.path else "run"))

    @property
    def resolved(self) -> dict[str, Any]:
        """The whole scenario as plain data, as the manifest records it."""
        return self.manifest.get("scenario", {})

    @cached_property
    def scenario(self) -> Scenario:
        """The scenario it ran, validated (read back from the manifest for a folder)."""
        return Scenario.model_validate(self.resolved)

    @property
    def seed(self) -> int:
        """The root seed every replicate's seed was spawned from."""
        return int(self.manifest.get("seed", 0))

    @property
    def seeds(self) -> np.ndarray:
        """Each replicate's own seed (uint64), in replicate order."""
        return np.asarray(self.manifest.get("replicate_seeds", []), dtype=np.uint64)

    @property
    def draws(self) -> np.ndarray | None:
        """The posterior particle each replicate drew (None: the scenario's own parameters)."""
        posterior = self.manifest.get("posterior")
        return None if not posterior else np.asarray(posterior["draws"], dtype=np.int64)

    @property
    def vendors(self) -> list[str]:
        """Vendor names in scenario order (this order fixes their colours)."""
        return [str(v["name"]) for v in self.resolved.get("vendors", [])]

    @property
    def clients(self) -> list[str]:
        """Client names in scenario order."""
        return [str(c["name"]) for c in self.resolved.get("clients", [])]

    @property
    def business_models(self) -> dict[str, list[str]]:
        """Each business model of the registry with the run's vendors that follow it."""
        pairs = [(str(v["name"]), str(v.get("model"))) for v in self.resolved.get("vendors", [])]
        return business_model_members(pairs)

    @property
    def replicates(self) -> int:
        """Number of replicates."""
        return len(self.seeds)

    @property
    def dates(self) -> pd.DatetimeIndex:
        """First day of each simulated month."""
        return pd.DatetimeIndex(sorted(self.timeseries["date"].unique()))

    @cached_property
    def timeseries(self) -> pd.DataFrame:
        """Tidy monthly table: replicate, month, date, client, vendor, metric, value.

        Units by metric: revenue, costs, profit, spend, budget ($ / month); cash, valuation
        ($); workforce (workers); capacity_hours, served_hours (task-hours / month);
        price_* ($ / task-hour); wage_* ($ / worker-month); shares and hhi (0-1).
        """
        if self.result is not None:
            return tables.timeseries(self.result, self._world, self.resolved["start"])
        return pd.read_parquet(self._file("timeseries.parquet"))

    @cached_property
    def summary(self) -> pd.DataFrame:
        """One row per replicate: its seed, yearly revenue per vendor ($), end shares (0-1),
        workforce, valuation ($), defections, HHI and business models' shares at the end;
        with a posterior, each replicate's draw and fitted values after its seed."""
        if self.result is not None:
            found = tables.summary(self.result, self._world, self.resolved["start"])
            return self.ensemble.sample.with_draws(found) if self.ensemble else found
        return pd.read_csv(self._file("summary.csv"))

    @cached_property
    def defections(self) -> pd.DataFrame:
        """One row per defection: replicate, month, date, client, vendor, the utility term that
        drove it (`driver`) and the vendor's share of that client's spend before and after."""
        if self.result is not None:
            return tables.defections(self.result, self._world, self.resolved["start"])
        return pd.read_csv(self._file("defections.csv"), parse_dates=["date"])

    def series(self, metric: str, vendor: str | None = None, client: str | None = None):
        """One metric as a wide table: a row per month (dates), a column per replicate.

        `vendor` and `client` name the entity (None: a metric without that side, such as a
        vendor's `revenue` with `client=None`, or the market's `hhi` with neither).
        """
        return wide_series(self.timeseries, metric, vendor, client)

    def history(self) -> dict[str, np.ndarray]:
        """The recorded monthly arrays (T, R, ...) the tidy table was made from, rebuilt.

        Spend (client x vendor x tier), budget (client x tier), workforce (vendor x tier),
        revenue, valuation, the expert push and layoffs (all in the first tier): what
        measuring a calibration target on a finished run needs.
        """
        pair = self._unstack("spend")[:, :, 1:, 1:]
        expert = self._unstack("spend_expert")[:, :, 1:, 1:]
        budget = self._unstack("budget")[:, :, 1:, 0]
        share = self._unstack("expert_share_of_budget")[:, :, 1:, 0]
        vendor = {m: self._unstack(m)[:, :, 0, 1:] for m in VENDOR_HISTORY}
        layoffs = vendor["layoffs"]
        return {
            "spend": np.stack([pair - expert, expert], axis=-1),
            "budget": np.stack([budget * (1 - share), budget * share], axis=-1),
            "workforce": np.stack([vendor["workforce_generalist"], vendor["workforce_expert"]], -1),
            "layoffs": np.stack([layoffs, np.zeros_like(layoffs)], axis=-1),
            "revenue": vendor["revenue"],
            "valuation": vendor["valuation"],
            "push": vendor["expert_push"],
        }

    def _unstack(self, metric: str) -> np.ndarray:
        """One metric as a (T, R, 1 + C, 1 + V) array (position 0: no client / no vendor)."""
        return unstack(self.timeseries, metric, self.clients, self.vendors)

    @property
    def _world(self) -> World:
        assert self.world is not None, "a run kept in memory keeps its world"
        return self.world

    def _file(self, name: str) -> Path:
        """A table of the run's folder (a run streamed to a folder reads its tables back)."""
        if self.path is None:
            raise InputError(f"run {self.name!r} has neither its arrays nor a folder")
        return self.path / name


def wide_series(
    ts: pd.DataFrame, metric: str, vendor: str | None = None, client: str | None = None
) -> pd.DataFrame:
    """Rows of one metric for one vendor/client (None: not that side) as date x replicate."""
    known = set(ts["metric"].astype(str).unique())
    if metric not in known:
        raise InputError(f"unknown metric {metric!r}; the table has: {', '.join(sorted(known))}")
    rows = ts[ts["metric"] == metric]
    for column, value in (("vendor", vendor), ("client", client)):
        col = rows[column]
        empty = col.isna() | (col.astype(object) == "")
        rows = rows[empty] if value is None else rows[col.astype(object) == value]
    if rows.empty:
        raise InputError(f"no {metric!r} rows for vendor={vendor!r}, client={client!r}")
    return rows.pivot_table(index="date", columns="replicate", values="value", observed=True)
