"""labelmarket: an agent-based simulation of the market for AI training-data labelling.

The Python API, in one place::

    import labelmarket as lm

    results = lm.run(lm.load_scenario("historical"), replicates=20, seed=1)
    results.timeseries  # tidy: replicate, month, date, client, vendor, metric, value

Names are loaded on first use (PEP 562), so `import labelmarket` (and the command line's
`--help`) imports nothing heavy.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "load_scenario": "labelmarket.api.public",
    "run": "labelmarket.api.public",
    "read_run": "labelmarket.api.public",
    "scenarios": "labelmarket.api.public",
    "Scenario": "labelmarket.api.public",
    "Results": "labelmarket.api.public",
    "compare": "labelmarket.api.public_compare",
    "Comparison": "labelmarket.api.public_compare",
    "InputError": "labelmarket.errors",
}

__all__ = [  # noqa: RUF022 - the order of the README
    "__version__",
    "load_scenario",
    "run",
    "read_run",
    "scenarios",
    "compare",
    "Scenario",
    "Results",
    "Comparison",
    "InputError",
]

if TYPE_CHECKING:
    from labelmarket.api.public import Results, Scenario, load_scenario, read_run, run, scenarios
    from labelmarket.api.public_compare import Comparison, compare
    from labelmarket.errors import InputError


def __getattr__(name: str) -> Any:
    """Import an API name from its module on first use."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'labelmarket' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """The API's names beside the module's own."""
    return sorted({*globals(), *_EXPORTS})
