"""The run manifest: everything needed to reproduce an output folder."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import platform
import shlex
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

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


def build_manifest(
    scenario_file: Path,
    resolved: dict[str, Any],
    overrides: list[str],
    seed: int,
    seeds: np.ndarray,
    workers: int,
    argv: list[str],
    elapsed: float,
) -> dict[str, Any]:
    """The manifest of one run."""
    return {
        "command": "labelmarket " + shlex.join(argv),
        "created_utc": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "scenario_file": str(scenario_file),
        "overrides": overrides,
        "scenario_sha256": scenario_hash(resolved),
        "scenario": resolved,
        "seed": seed,
        "seed_scheme": "numpy SeedSequence(seed).spawn(replicates); replicate i uses "
        "default_rng(int(child_i.generate_state(1, uint64)[0]) >> 1)",
        "replicate_seeds": [int(s) for s in seeds],
        "replicates": len(seeds),
        "engine": "batched",
        "workers": workers,
        "elapsed_seconds": round(elapsed, 3),
        "versions": versions(),
        "platform": platform.platform(),
    }


def write_json(path: Path, data: dict[str, Any]) -> None:
    """Write indented JSON."""
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
