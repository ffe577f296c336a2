"""The run charts for a run in memory or on disk, drawn as `labelmarket run` draws them."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from labelmarket.model.results.run_folder import Run


def run_charts(run: Run, folder: Path) -> list[Path]:
    """Market share, crowd versus expert, client spend, largest crowd vendor: PNGs in `folder`."""
    from labelmarket.model.charts.events import run_events
    from labelmarket.model.charts.run import write_charts

    folder.mkdir(parents=True, exist_ok=True)
    return write_charts(run.timeseries, run.vendors, run.crowd_vendors, run_events(run), folder)
