"""Evaluate a user's own table of parameter sets: a SALib sample, an EMA experiments table.

`evaluate` is `lm.evaluate`: each row of the table runs as a sweep's point does, on any
engine, and comes back with its outcomes, so the sampling and the analysis can stay in
the user's own tools.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from labelmarket.api.progress import progress_bar
from labelmarket.errors import UsageError
from labelmarket.model.execution.engine import Engine
from labelmarket.model.execution.launch import make_engine
from labelmarket.model.experiments import evaluation
from labelmarket.model.scenario.loading import Overrides, load_scenario
from labelmarket.model.scenario.schema import Scenario


def evaluate(
    scenario: str | Path | Scenario,
    samples: Any,
    *,
    names: Sequence[str] | None = None,
    outcomes: list[dict[str, Any]] | None = None,
    replicates: int = 1,
    seed: int = 0,
    overrides: Overrides = None,
    baseline: str | Path | Scenario | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    engine: Engine | None = None,
    progress: bool = False,
) -> pd.DataFrame:
    """Run a scenario once per row of `samples` (times `replicates`); return the outcomes.

    `samples` is a DataFrame whose columns are parameter paths, as `overrides=` and sweep
    files write them (`clients.Google.conflict_sensitivity`, `clients.*.expert_trend`; an
    EMA Workbench experiments table's `scenario`, `policy` and `model` columns are left
    out), a mapping of path to values, a 2-D array with `names=`, or SALib's
    `(problem, X)`. Values are in the units `lm.parameters()` lists and must lie in their
    allowed ranges.

    `outcomes` are sweep-file outcomes (`{"metric": "revenue", "vendor": "Scale AI",
    "year": 2026}`; `"versus_baseline": True` with a `baseline=` scenario, run with the
    same seeds); by default each vendor's revenue in the last year ($), its market share
    at the end (0-1), the number of defections and the HHI at the end (0-1).

    Returns one row per (row, replicate): `row` (the position in `samples`), `replicate`,
    `seed`, the parameter values, one column per outcome and `error` (a run that raised).
    The seed of replicate r of row i comes from (`seed`, i, r), so a row's outcomes do not
    depend on the workers, the engine or the other rows. Example::

        >>> import pandas as pd
        >>> table = pd.DataFrame({"clients.*.conflict_sensitivity": [0.0, 4.0, 8.0]})
        >>> found = lm.evaluate("historical", table, replicates=2, workers=1)
        >>> found.groupby("clients.*.conflict_sensitivity")["revenue_2026[Scale AI]"].median()
    """
    if not isinstance(replicates, int) or replicates < 1:
        raise UsageError(f"`replicates=` must be a whole number of at least 1, got {replicates!r}")
    if not isinstance(seed, int) or seed < 0:
        raise UsageError(f"`seed=` must be a whole number of at least 0, got {seed!r}")
    chosen = load_scenario(scenario, overrides)
    base = load_scenario(baseline, overrides) if baseline is not None else None
    table = evaluation.samples_table(samples, names)
    ctx = evaluation.context(chosen, table, outcomes, replicates, seed, base)
    used = engine if engine is not None else make_engine(workers, scheduler)
    total = len(table) * replicates
    try:
        with progress_bar(total, "run", "evaluating", enabled=progress) as bar:
            return evaluation.evaluate(ctx, table, used, bar.update)
    finally:
        if engine is None:
            used.close()
