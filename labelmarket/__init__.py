"""labelmarket: an agent-based simulation of the market for AI training-data labelling.

The Python API, in one place::

    import labelmarket as lm

    deal = lm.run("historical", replicates=20, seed=1)
    deal.timeseries  # tidy: replicate, month, date, client, vendor, metric, value

Names are loaded on first use (PEP 562), so `import labelmarket` (and the command line's
`--help`) imports nothing heavy. `help(lm.run)` gives each function's units and returns.
"""

from __future__ import annotations

import importlib as _importlib
import typing as _typing

__version__ = "0.1.0"

_EXPORTS = {
    "scenarios": "labelmarket.api.scenarios",
    "load_scenario": "labelmarket.api.scenarios",
    "parameters": "labelmarket.api.parameters",
    "run": "labelmarket.api.run",
    "read_run": "labelmarket.api.run",
    "compare": "labelmarket.api.compare",
    "evaluate": "labelmarket.api.evaluate",
    "save": "labelmarket.api.outputs",
    "plot": "labelmarket.api.outputs",
    "sweep": "labelmarket.api.sweep",
    "discover": "labelmarket.api.discover",
    "calibrate": "labelmarket.api.calibrate",
    "facts": "labelmarket.api.facts",
    "Scenario": "labelmarket.api.scenarios",
    "Run": "labelmarket.api.run",
    "Comparison": "labelmarket.api.compare",
    "InputError": "labelmarket.errors",
}

__all__ = [  # noqa: RUF022 - the order of docs/python.md
    "__version__",
    "scenarios",
    "load_scenario",
    "parameters",
    "run",
    "read_run",
    "compare",
    "evaluate",
    "save",
    "plot",
    "sweep",
    "discover",
    "calibrate",
    "facts",
    "Scenario",
    "Run",
    "Comparison",
    "InputError",
]

if _typing.TYPE_CHECKING:
    from labelmarket.api.calibrate import calibrate
    from labelmarket.api.compare import Comparison, compare
    from labelmarket.api.discover import discover
    from labelmarket.api.evaluate import evaluate
    from labelmarket.api.facts import facts
    from labelmarket.api.outputs import plot, save
    from labelmarket.api.parameters import parameters
    from labelmarket.api.run import Run, read_run, run
    from labelmarket.api.scenarios import Scenario, load_scenario, scenarios
    from labelmarket.api.sweep import sweep
    from labelmarket.errors import InputError


def __getattr__(name: str) -> _typing.Any:
    """Import an API name from its module on first use."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'labelmarket' has no attribute {name!r}")
    value = getattr(_importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """The API's names (what `from labelmarket import *` gives)."""
    return sorted(__all__)
