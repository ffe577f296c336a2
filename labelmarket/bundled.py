"""Where the data shipped with labelmarket lives: bundled scenarios, sweeps, facts ledger.

The top-level folders `scenarios/` and `seeds/` are `labelmarket/scenarios/` and
`labelmarket/seeds/`: package data in a wheel, symbolic links in a checkout (returned
resolved, as the top-level folders). Every command and module asks here, so
`labelmarket run historical` or `labelmarket facts` work from any directory.
Standard library only: the CLI imports this before anything heavy.
"""

from __future__ import annotations

import difflib
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
    in the current directory. A path that is not there but names a bundled file (a
    checkout's `scenarios/historical.yaml` used after a plain install elsewhere) is
    refused with the name to give instead; any other path that is not found keeps its
    path, so the loader reports the missing file.
    """
    path = Path(text)
    kind = "sweep file" if sweeps else "scenario"
    try:
        if path.exists():
            return path
        folder = scenarios_dir() / "sweeps" if sweeps else scenarios_dir()
        stem = path.stem if path.suffix in SCENARIO_SUFFIXES else path.name
        names = scenario_names(sweeps)
        if path.parent != Path("."):
            if stem in names:
                raise BundledDataError(
                    f"{text}: no such file here; labelmarket ships a {kind} of that name: "
                    f"give its name, {stem}"
                )
            return path
        for suffix in SCENARIO_SUFFIXES:
            if (folder / f"{stem}{suffix}").is_file():
                return folder / f"{stem}{suffix}"
    except OSError:  # a name the file system refuses (too long): the loader reports it
        return path
    near = difflib.get_close_matches(stem, names, n=1, cutoff=0.6)
    hint = f"; did you mean {near[0]}?" if near else ";"
    raise BundledDataError(
        f"{text}: file not found, and no bundled {kind} has that name{hint} bundled "
        f"{kind}s: {', '.join(names)} (see `labelmarket scenarios`)"
    )
