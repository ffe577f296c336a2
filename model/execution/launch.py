"""Starting an engine: local worker processes, or a Dask cluster when a scheduler is named."""

from __future__ import annotations

import logging

from labelmarket.model.core.compiled import is_warm
from labelmarket.model.execution.cluster import DaskEngine
from labelmarket.model.execution.engine import Engine, EngineError
from labelmarket.model.execution.local import LocalEngine


def make_engine(workers: int | None = None, scheduler: str | None = None) -> Engine:
    """Local worker processes, or a Dask cluster when a scheduler address is given.

    A cluster's size is set by its own workers, so asking for both is refused rather than
    silently ignoring `workers`.
    """
    if scheduler and workers:
        raise EngineError(
            "`workers=` sets local processes; with `scheduler=` the cluster's own workers "
            "run the chunks (start more with `dask worker ADDRESS --nworkers N`); drop one"
        )
    if not is_warm():
        logging.getLogger("labelmarket").info(
            "compiling the model's rules: the first run after an install waits about a minute "
            "while numba compiles them (once: later runs load them from its cache)"
        )
    if scheduler:
        return DaskEngine(scheduler)
    return LocalEngine(workers)
