"""What many tests share: where things are, how to run the CLI, how to build bad input.

Fixtures live in `tests/conftest.py`; plain helpers and constants (usable in
`pytest.mark.parametrize`, which runs before fixtures exist) live here.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"
HISTORICAL = SCENARIOS / "historical.yaml"
NO_DEAL = SCENARIOS / "no_deal.yaml"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [  # Debian's chromium, started the way this closed network needs
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@cache
def compiled(name: str):
    """A shipped scenario, loaded and compiled once per session (`historical.yaml`)."""
    from labelmarket.model.scenario.compile import compile_world
    from labelmarket.model.scenario.loading import load_scenario

    scenario = load_scenario(SCENARIOS / name)
    return compile_world(scenario)


def copy_package(site: Path) -> Path:
    """Copy the package as it installs into `site/labelmarket` (the checkout's links to
    model/, calibration/, scenarios/ and seeds/ copied as the folders they point to)."""
    ignore = shutil.ignore_patterns("__pycache__")
    shutil.copytree(ROOT / "labelmarket", site / "labelmarket", ignore=ignore)
    return site


def run_cli(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run `python -m labelmarket ARGS` in a fresh process, as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "labelmarket", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def call_main(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run `labelmarket.cli.main(ARGS)` in this process; return (code, stdout, stderr)."""
    from labelmarket.cli import main

    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def base() -> dict[str, Any]:
    """A fresh copy of the historical scenario as plain YAML data."""
    return yaml.safe_load(HISTORICAL.read_text(encoding="utf-8"))


def dump(path: Path, data: Any) -> Path:
    """Write YAML data to `path` and return it."""
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def vendor(data: dict, name: str = "Scale AI") -> dict:
    """The vendor mapping called `name`."""
    return next(v for v in data["vendors"] if v["name"] == name)


def client(data: dict, name: str = "Google") -> dict:
    """The client mapping called `name`."""
    return next(c for c in data["clients"] if c["name"] == name)


def investment(data: dict) -> tuple[int, dict]:
    """Index and mapping of the first investment event (Meta's stake in Scale)."""
    return next((i, e) for i, e in enumerate(data["events"]) if e["type"] == "investment")


def assert_bad_input(code: int, err: str, *fragments: str) -> None:
    """Exit code 2, no traceback, and every fragment (file, field, what is allowed) in stderr."""
    assert code == 2, f"exit code {code}, stderr:\n{err}"
    assert "Traceback" not in err, err
    for fragment in fragments:
        assert fragment in err, f"{fragment!r} not in stderr:\n{err}"


def assert_nothing_written(out: Path) -> None:
    """`run` left neither the output folder nor a staging folder next to it."""
    assert not out.exists(), f"{out} was created"
    assert not list(out.parent.glob(f".{out.name}.*")), "a staging folder was left behind"


INVESTMENT = investment(base())[0]  # index of the investment event in historical.yaml


SMALL_SWEEP = {
    # a 3 x 2 grid, 3 replicates: 18 runs of the history against the world without the deal
    "name": "small",
    "scenario": str(HISTORICAL),
    "baseline": str(NO_DEAL),
    "design": "grid",
    "parameters": [
        {"path": "clients.*.conflict_sensitivity", "range": [0, 8], "levels": 3},
        {"path": "market.founder_exposure", "values": [0.0, 0.5]},
    ],
    "replicates": 3,
    "seed": 11,
    "outcomes": [
        {"metric": "revenue", "vendor": "Scale AI", "year": 2026},
        {"metric": "revenue", "vendor": "Scale AI", "year": 2026, "versus_baseline": True},
        {"metric": "defections"},
        {"metric": "leave_month", "client": "Google", "vendor": "Scale AI"},
        {"metric": "crowd_share"},
        {"metric": "hhi", "year": 2025},
        {"metric": "workforce", "vendor": "Scale AI"},
    ],
}


def write_sweep(folder: Path, **changes: object) -> Path:
    """A sweep file (SMALL_SWEEP with changes; a change to None drops the key) in `folder`."""
    path = folder / "sweep.yaml"
    data = {k: v for k, v in {**SMALL_SWEEP, **changes}.items() if v is not None}
    for key in ("scenario", "baseline"):  # a sweep names its scenarios by relative paths
        if isinstance(data.get(key), str) and Path(data[key]).is_absolute():
            data[key] = os.path.relpath(data[key], folder)
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


@contextlib.contextmanager
def dask_scheduler(threads: int = 2) -> Iterator[str]:
    """A small Dask cluster on 127.0.0.1 (threads in this process, over TCP): its address."""
    distributed = pytest.importorskip("distributed")  # the cluster extra
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=threads, processes=False, protocol="tcp",
        host="127.0.0.1", dashboard_address=None,
    ) as cluster:  # fmt: skip
        yield cluster.scheduler_address
