"""The run manifest: everything needed to reproduce an output folder."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import platform
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from labelmarket.model.execution.seeds import REPLICATE_SCHEME
from labelmarket.model.results.posterior import Ensemble, interval_kind

PACKAGES = (
    "labelmarket",
    "mesa",
    "numpy",
    "scipy",
    "pandas",
    "pydantic",
    "pyarrow",
    "matplotlib",
    "pyyaml",
    "SALib",
    "distributed",
    "tqdm",
)


def scenario_hash(resolved: dict[str, Any]) -> str:
    """SHA-256 of the resolved scenario in canonical JSON: equal hashes, equal worlds."""
    text = json.dumps(resolved, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def versions() -> dict[str, str]:
    """Installed versions of Python and the packages that shape the numbers."""
    found = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


def run_manifest(
    scenario_file: Path | str,
    resolved: dict[str, Any],
    overrides: list[str],
    seed: int,
    seeds: np.ndarray,
    engine: Any,
    command: str,
    elapsed: float,
    ensemble: Ensemble | None = None,
) -> dict[str, Any]:
    """The manifest of one scenario run: enough to reproduce every number in its folder.

    With a posterior `ensemble`, it records the sample (file and hash) and the particle each
    replicate drew; `interval` says which uncertainty the run's intervals carry.
    """

    found = {
        "command": command,
        "created_utc": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "scenario_file": str(scenario_file),
        "overrides": list(overrides),
        "scenario_sha256": scenario_hash(resolved),
        "scenario": resolved,
        "seed": seed,
        "seed_scheme": REPLICATE_SCHEME,
        "replicate_seeds": [int(s) for s in seeds],
        "replicates": len(seeds),
        "engine": "batched",
        "workers": getattr(engine, "workers", None),
        "scheduler": getattr(engine, "address", None),  # None: local processes
        "elapsed_seconds": round(elapsed, 3),
        "versions": versions(),
        "platform": platform.platform(),
        "interval": interval_kind(ensemble),
    }
    if ensemble is not None:
        found["posterior"] = ensemble.manifest()
    return found


def write_json(path: Path, data: dict[str, Any]) -> None:
    """Write indented JSON through a temporary file, so it is never half-written."""
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(json.dumps(data, indent=2, default=str) + "\n", encoding="utf-8")
    os.replace(temporary, path)
