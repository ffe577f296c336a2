"""Write or chart what the API returns: a run kept in memory, a comparison.

`save` writes the folder the matching command writes (tables, charts, manifest), through a
staging folder renamed into place, so it is never half there; `plot` draws the charts only.
"""

from __future__ import annotations

from pathlib import Path

from labelmarket.api.compare import PYTHON as COMPARED
from labelmarket.api.compare import Comparison, plot_comparison, write_comparison
from labelmarket.api.streaming import write_run
from labelmarket.errors import UsageError
from labelmarket.model.charts.events import run_events
from labelmarket.model.charts.run import write_charts
from labelmarket.model.results.folders import check_out
from labelmarket.model.results.run import Run


def save(result: Run | Comparison, out: str | Path, *, force: bool = False,
         charts: bool = True) -> Path:  # fmt: skip
    """Write a run kept in memory (as `labelmarket run` does) or a comparison (as
    `labelmarket compare` does) into the folder `out`; return it.

    `force=True` replaces an earlier labelmarket output there; `charts=False` skips a run's
    PNG charts. Returns the folder, which `lm.read_run` reads back::

        >>> lm.save(lm.run("historical", 4, 1), "runs/mine", force=True)
        PosixPath('runs/mine')
    """
    folder = Path(out)
    if not isinstance(result, Run | Comparison):
        raise UsageError(f"save takes a Run or a Comparison, not {type(result).__name__}")
    check_out(folder, force)
    if isinstance(result, Comparison):
        return write_comparison(folder, result, COMPARED, charts)
    write_run(folder, result, charts=charts)
    return folder


def plot(result: Run | Comparison, folder: str | Path) -> list[Path]:
    """Draw the charts of a run (shares, business models, each client's spend, the largest
    vendor) or of a comparison (levels and paired differences) into `folder` as PNG files.

    Returns the paths of the files drawn::

        >>> [p.name for p in lm.plot(lm.run("historical", 4, 1), "charts")][0]
        'market_share.png'
    """
    where = Path(folder)
    if isinstance(result, Comparison):
        return plot_comparison(result, where)
    if not isinstance(result, Run):
        raise UsageError(f"plot takes a Run or a Comparison, not {type(result).__name__}")
    where.mkdir(parents=True, exist_ok=True)
    models = result.business_models
    return write_charts(result.timeseries, result.vendors, models, run_events(result), where)
