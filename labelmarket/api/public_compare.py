"""Compare runs from Python: paired differences with 90% intervals, as `labelmarket compare`.

Replicate i of each run is compared with replicate i of the baseline when their seeds
match (same `seed` and `replicates` give common random numbers); runs with no seed in
common are refused unless `unpaired=True`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

    from labelmarket.api.public import Results
    from labelmarket.model.results.comparison import Pairing
    from labelmarket.model.results.run_folder import Run


@dataclass
class Comparison:
    """Every run against the baseline: headline outcomes and monthly differences."""

    runs: list[Run]  # the baseline first
    headline: pd.DataFrame  # per outcome: medians, difference and % with 5/50/95% ranges, text
    differences: pd.DataFrame  # per month, metric, client, vendor: difference 5/50/95%
    pairings: list[Pairing]
    unpaired: bool = False

    def __str__(self) -> str:
        """One sentence per vendor outcome, e.g. 'Scale AI 2026 revenue: -32% [-50%, -9%] ...'."""
        from labelmarket.report.text import format_headline

        return format_headline(self.headline, self.pairings)

    def save(self, out: str | Path, force: bool = False) -> Path:
        """Write the folder `labelmarket compare` writes (tables, charts, manifest); return it."""
        from labelmarket.api.compare import write_comparison
        from labelmarket.model.results.folders import check_out

        out = Path(out)
        check_out(out, force)
        inputs = [r.path or Path(r.name) for r in self.runs]
        write_comparison(out, inputs, self.runs, self.unpaired, "labelmarket.compare (Python API)")
        return out

    def plot(self, folder: str | Path) -> list[Path]:
        """Draw the comparison charts (levels and paired differences) into `folder`."""
        from labelmarket.model.charts.compare import write_comparison_charts
        from labelmarket.model.charts.events import merged_events

        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        base, others = self.runs[0], self.runs[1:]
        return write_comparison_charts(
            base, others, self.differences, merged_events(self.runs), folder
        )


def _as_run(item: Results | Run | str | Path) -> Run:
    """A Run from results in memory, a Run, or a run folder's path."""
    from labelmarket.api.public import Results, read_run

    if isinstance(item, Results):
        return item.to_run()
    if isinstance(item, str | Path):
        return read_run(item)
    return item


def compare(
    baseline: Results | Run | str | Path,
    *others: Results | Run | str | Path,
    unpaired: bool = False,
) -> Comparison:
    """Compare each run with `baseline`, replicate by replicate (results, runs or folders)."""
    from labelmarket.errors import UsageError
    from labelmarket.model.results.comparison import compare as paired
    from labelmarket.report.text import with_sentences

    if not others:
        raise UsageError("compare needs a baseline and at least one other run")
    runs = [_as_run(item) for item in (baseline, *others)]
    headline, differences, pairings = paired(runs, unpaired)
    return Comparison(runs, with_sentences(headline), differences, pairings, unpaired)
