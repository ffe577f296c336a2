"""Worker-side reductions for bench_outputs.py, in a module the workers can import.

Local workers start from a fork server without the calling script (`__main__`), so a
function they are sent must live in an importable module, and what it reads must travel
with it (nothing set in the parent's globals reaches them).
"""

from __future__ import annotations

from typing import Any


def nothing(first: int, result: object) -> None:
    """A reduce that keeps nothing: what simulating alone costs."""
    return None


class SeriesOnly:
    """A reduce keeping only a chunk's chart series (and their shapes) of `world`."""

    def __init__(self, world: Any):
        self.world = world

    def __call__(self, first: int, result: Any) -> tuple:
        """The chunk's chart series and shapes."""
        from labelmarket.model.results.bands import chart_series, series_shapes
        from labelmarket.model.results.tidy import metric_blocks

        blocks = metric_blocks(result, self.world)
        return chart_series(blocks), series_shapes(blocks)
