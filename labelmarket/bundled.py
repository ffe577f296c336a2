"""Where the data shipped with labelmarket lives: bundled scenarios, sweeps, facts ledger.

The top-level folders `scenarios/` and `seeds/` are `labelmarket/scenarios/` and
`labelmarket/seeds/`: package data in a wheel, symbolic links in a checkout (returned
resolved, as the top-level folders). Every command and module asks here, so
`labelmarket run historical` or `labelmarket facts` work from any directory.
Standard library only: the CLI imports this before anything heavy.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from labelmarket.errors import InputError

SCENARIO_SUFFIXES = (".yaml", ".yml")
SCENARIO_SCHEMA = "scenario.schema.json"
SWEEP_SCHEMA = "sweep.schema.json"


class BundledDataError(InputError):
    """A bundled file or scenario name that cannot be found (a broken install, a typo)."""


def _folder(name: str) -> Path:
    """The package's `labelmarket/<name>` folder (in a checkout: the top-level one it links)."""
    package = Path(str(resources.files("labelmarket")))
    if (package / name).is_dir():
        return (package / name).resolve()
    raise BundledDataError(
        f"labelmarket's bundled '{name}' folder is missing from {package} (a broken install: "
        "reinstall the package)"
    )


def scenarios_dir() -> Path:
    """The bundled scenario folder (its `sweeps/` holds the example sweep files)."""
    return _folder("scenarios")


def seeds_dir() -> Path:
    """The bundled facts ledger folder (`sources.yaml`, `facts.yaml`)."""
    return _folder("seeds")


def calibration_file(name: str) -> Path:
    """A calibration input shipped with the package (`targets.yaml`, `parameters.yaml`)."""
    path = _folder("calibration") / name
    if not path.is_file():
        raise BundledDataError(f"labelmarket's bundled calibration/{name} is missing")
    return path


def scenario_names(sweeps: bool = False) -> list[str]:
    """Names of the bundled scenarios (or of the bundled sweep files), sorted."""
    folder = scenarios_dir() / "sweeps" if sweeps else scenarios_dir()
    return sorted(p.stem for p in folder.iterdir() if p.suffix in SCENARIO_SUFFIXES)


def resolve_scenario(text: str | Path, sweeps: bool = False) -> Path:
    """A scenario file's path: an existing path as given, else a bundled scenario's name.

    `historical` and `historical.yaml` both name the bundled file when no such file exists
    in the current directory; anything else that is not found keeps its path, so the loader
    reports the missing file (with the bundled names in the message).
    """
    path = Path(text)
    try:
        if path.exists() or path.parent != Path("."):
            return path
        folder = scenarios_dir() / "sweeps" if sweeps else scenarios_dir()
        stem = path.stem if path.suffix in SCENARIO_SUFFIXES else path.name
        for suffix in SCENARIO_SUFFIXES:
            if (folder / f"{stem}{suffix}").is_file():
                return folder / f"{stem}{suffix}"
    except OSError:  # a name the file system refuses (too long): the loader reports it
        return path
    kind = "sweep files" if sweeps else "scenarios"
    raise BundledDataError(
        f"{text}: file not found, and no bundled scenario has that name; bundled {kind}: "
        f"{', '.join(scenario_names(sweeps))} (see `labelmarket scenarios`)"
    )
