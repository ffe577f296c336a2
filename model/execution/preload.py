"""What the fork server loads once, before it forks any worker: the compiled rules.

Workers are forked from multiprocessing's fork server (`model.execution.local`), which
imports the modules it is told to preload. Importing this one also loads the rules'
compiled code from numba's cache by running one replicate of a bundled market for one
month (a few tenths of a second, and no thread started), so every worker forked after
it starts with the code in memory instead of each loading the cache again. The fork
server is started as the engine is made, so this runs while the main process is still
compiling and sizing the run. Before the first compile (`is_warm()` false) it does
nothing: the run that compiles the rules says so and pays for it once, as before.
"""

from __future__ import annotations

import numpy as np

from labelmarket.model.core.compiled import is_warm
from labelmarket.model.drivers.batched import run_batch
from labelmarket.model.scenario.compile import compile_world
from labelmarket.model.scenario.loading import load_scenario

MARKET = "no_deal"
"""The bundled scenario run to load the rules (the rules' types are every scenario's)."""


def load_rules() -> bool:
    """Load the compiled rules into this process; False if they are not compiled yet or
    loading failed (a worker then loads them itself, as it would without this)."""
    if not is_warm():
        return False
    try:
        world = compile_world(load_scenario(MARKET))
        run_batch(world, np.ones(1, dtype=np.uint64), months=1)
    except Exception:  # an optimisation only: never stop the fork server from starting
        return False
    return True


load_rules()
