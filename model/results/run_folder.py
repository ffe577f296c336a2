"""Reading a folder written by `labelmarket run` back into memory, checked.

Comparison and reports start from run folders; a folder that is missing, incomplete or
without its manifest is refused with one message naming what is wrong, before anything is
computed or written.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from labelmarket.errors import InputError

VENDOR_HISTORY = (
    "workforce_generalist", "workforce_expert", "revenue", "valuation", "layoffs", "expert_push",
)  # fmt: skip
REQUIRED = ("manifest.json", "timeseries.parquet", "summary.csv", "defections.csv")
"""What a run folder holds (`timeseries.parquet` is a folder of parts; one file in older runs)."""


class RunFolderError(InputError):
    """A run folder that cannot be used, with the reason."""


@dataclass
class Run:
    """One scenario's run: its tables, its manifest and where it came from."""

    path: Path | None
    manifest: dict[str, Any]
    timeseries: pd.DataFrame
    summary: pd.DataFrame
    defections: pd.DataFrame
    charts: dict[str, Path] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """The scenario's name (the folder name when the manifest has none)."""
        scenario = self.manifest.get("scenario", {})
        return str(scenario.get("name") or (self.path.name if self.path else "run"))

    @property
    def scenario(self) -> dict[str, Any]:
        """The resolved scenario mapping stored in the manifest."""
        return self.manifest.get("scenario", {})

    @property
    def seeds(self) -> np.ndarray:
        """Replicate seeds, in replicate order."""
        return np.asarray(self.manifest.get("replicate_seeds", []), dtype=np.uint64)

    @property
    def draws(self) -> np.ndarray | None:
        """The posterior particle each replicate drew (None: the scenario's own parameters)."""
        posterior = self.manifest.get("posterior")
        return None if not posterior else np.asarray(posterior["draws"], dtype=np.int64)

    @property
    def vendors(self) -> list[str]:
        """Vendor names in scenario order (this order fixes their colours)."""
        return [str(v["name"]) for v in self.scenario.get("vendors", [])]

    @property
    def clients(self) -> list[str]:
        """Client names in scenario order."""
        return [str(c["name"]) for c in self.scenario.get("clients", [])]

    @property
    def dates(self) -> pd.DatetimeIndex:
        """First day of each simulated month."""
        return pd.DatetimeIndex(sorted(self.timeseries["date"].unique()))

    @property
    def crowd_vendors(self) -> list[str]:
        """Vendors with a crowd business model."""
        return [
            str(v["name"]) for v in self.scenario.get("vendors", []) if v.get("model") == "crowd"
        ]

    @property
    def replicates(self) -> int:
        """Number of replicates in the run."""
        return int(self.timeseries["replicate"].nunique())

    def _unstack(self, metric: str) -> np.ndarray:
        """One metric as a (T, R, 1 + C, 1 + V) array (position 0: no client / no vendor)."""
        from labelmarket.model.results.tidy import unstack

        return unstack(self.timeseries, metric, self.clients, self.vendors)

    def series(self, metric: str, client: str = "", vendor: str = "") -> np.ndarray:
        """One metric of the tidy table as a (month, replicate) array (client/vendor '' = none)."""
        c = self.clients.index(client) + 1 if client else 0
        v = self.vendors.index(vendor) + 1 if vendor else 0
        return self._unstack(metric)[:, :, c, v]

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


def load_run(path: Path) -> Run:
    """Read and check a run folder; raise RunFolderError saying what is missing."""
    path = Path(path)
    if not path.exists():
        raise RunFolderError(f"{path}: run folder not found")
    if not path.is_dir():
        raise RunFolderError(f"{path}: not a folder (expected the output of `labelmarket run`)")
    missing = [name for name in REQUIRED if not (path / name).exists()]
    if missing:
        raise RunFolderError(
            f"{path}: not a complete run folder, missing {', '.join(missing)} "
            "(write one with `labelmarket run SCENARIO --out DIR`)"
        )
    try:
        manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
        ts = pd.read_parquet(path / "timeseries.parquet")
        summary = pd.read_csv(path / "summary.csv")
        defections = pd.read_csv(path / "defections.csv", parse_dates=["date"])
    except (OSError, ValueError) as exc:
        raise RunFolderError(f"{path}: cannot read the run: {exc}") from None
    if not isinstance(manifest, dict) or "scenario" not in manifest:
        raise RunFolderError(f"{path}/manifest.json: no resolved scenario in the manifest")
    if "replicate_seeds" not in manifest:
        raise RunFolderError(f"{path}/manifest.json: no replicate_seeds in the manifest")
    charts = {p.name: p for p in sorted((path / "charts").glob("*.png"))}
    run = Run(path, manifest, ts, summary, defections, charts)
    if len(run.seeds) != run.replicates:
        raise RunFolderError(
            f"{path}: manifest lists {len(run.seeds)} replicate seeds but the timeseries holds "
            f"{run.replicates} replicates"
        )
    return run
