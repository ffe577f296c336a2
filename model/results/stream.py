"""Writing a run folder while its replicates run: each chunk is written, then forgotten.

`ChunkWriter` runs in the worker that simulated a chunk: it writes the chunk's rows of
the tidy time series as one Parquet file of the `timeseries.parquet/` dataset (or, on a
cluster whose workers may not see this disk, returns the file's bytes) and formats its
summary, defection and decision rows as CSV text (UTF-8 bytes). The decisions, megabytes
a chunk, go the same way as the Parquet file: a local worker writes them to a part file in
the staging folder, which the main process appends to `decisions.csv` without reading
them into Python objects (no pickling, no pipe). `RunWriter`, in the main process, takes
the chunks in replicate order: it appends the CSV text, keeps the summary rows (small) and
the chart series (in a `SeriesStore`), and at the end computes the charts' statistics.
Nothing in the main process grows with the full history of every replicate.
"""

from __future__ import annotations

import io
import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from labelmarket.model.core.world import World
from labelmarket.model.drivers.batched import RunResult
from labelmarket.model.results import tables
from labelmarket.model.results.bands import Bands, chart_series, series_shapes, start_bands
from labelmarket.model.results.csv_text import csv_text
from labelmarket.model.results.decisions import decisions_csv
from labelmarket.model.results.metrics import month_dates
from labelmarket.model.results.posterior import PosteriorSample
from labelmarket.model.results.series_store import SeriesStore
from labelmarket.model.results.tidy import Layout, layout, metric_blocks, write_part

TIMESERIES = "timeseries.parquet"
"""The tidy time series: a folder of Parquet files, one per chunk, in replicate order."""
CSV_TABLES = ("summary", "defections", "decisions")
"""The tables written as CSV text, chunk after chunk (the first chunk writes the header)."""
DECISION_PARTS = ".decisions-parts"
"""Where local workers leave each chunk's decision rows until they are appended (removed
before the folder is published)."""


def part_name(first: int, suffix: str = "parquet") -> str:
    """File of the chunk starting at replicate `first` (names sort in replicate order)."""
    return f"part-{first:010d}.{suffix}"


@dataclass
class ChunkTables:
    """What the run folder needs of one chunk, small enough to send between processes."""

    first: int
    replicates: int
    parquet: bytes | None  # the chunk's time series file, when the worker could not write it
    summary: pd.DataFrame
    summary_csv: bytes
    defections_csv: bytes
    decisions_csv: bytes | None  # None: a local worker wrote them to its part file
    series: np.ndarray | None  # (series, replicates) for the charts
    shapes: list[tuple[int, int]] | None


class ChunkWriter:
    """Worker side: turn a chunk's result into its `ChunkTables` (picklable for a cluster)."""

    def __init__(
        self,
        world: World,
        start: str,
        folder: str | None,
        charts: bool = True,
        posterior: PosteriorSample | None = None,
    ):
        self.world, self.start, self.charts = world, start, charts
        self.posterior = posterior  # a replicate's draw and fitted values go in its summary row
        self.folder = folder  # write the Parquet file here; None: return its bytes
        self._layout: Layout | None = None  # the same for every chunk: built once a process
        dates = month_dates(start, world.months).strftime("%Y-%m-%d")
        self._date_labels = np.asarray(dates, dtype=object)  # as pandas writes midnight dates

    def __call__(self, first: int, result: RunResult) -> ChunkTables:
        """Write or encode the chunk's time series; format its summary and defections."""
        blocks = metric_blocks(result, self.world)
        if self._layout is None:
            self._layout = layout(blocks, self.world, self.start)
        parquet = None
        if self.folder is None:
            sink = io.BytesIO()
            write_part(sink, blocks, self._layout, first)
            parquet = sink.getvalue()
        else:
            target = str(Path(self.folder) / TIMESERIES / part_name(first))
            write_part(target, blocks, self._layout, first)
        vendor = {m: a for kind, m, a in blocks if kind == "vendor"}
        market = {m: a[..., 0] for kind, m, a in blocks if kind == "market"}
        summary = tables.summary(result, self.world, self.start, first, (vendor, market))
        if self.posterior is not None:
            summary = self.posterior.with_draws(summary)
        header = first == 0
        defections = tables.defections(result, self.world, self.start, first)
        defections["date"] = self._date_labels[defections["month"].to_numpy()]
        decisions = decisions_csv(result, self.world, self.start, first, header)
        if self.folder is not None:
            part = Path(self.folder) / DECISION_PARTS / part_name(first, "csv")
            part.write_bytes(decisions)
            decisions = None
        return ChunkTables(
            first,
            result.replicates,
            parquet,
            summary,
            csv_text(summary, header).encode("utf-8"),
            csv_text(defections, header).encode("utf-8"),
            decisions,
            chart_series(blocks) if self.charts else None,
            series_shapes(blocks) if self.charts else None,
        )


class RunWriter:
    """Main-process side: the run folder's tables, filled chunk by chunk in replicate order."""

    def __init__(
        self,
        folder: Path,
        world: World,
        start: str,
        charts: bool,
        series_limit: int,
        posterior: PosteriorSample | None = None,
    ):
        self.folder, self.world, self.start, self.charts = folder, world, start, charts
        self.posterior = posterior
        (folder / TIMESERIES).mkdir()
        (folder / DECISION_PARTS).mkdir()
        self._files = {name: (folder / f"{name}.csv").open("wb") for name in CSV_TABLES}
        self._summaries: list[pd.DataFrame] = []
        self._store = SeriesStore(series_limit, folder) if charts else None
        self._shapes: list[tuple[int, int]] | None = None
        self.written = 0

    def chunk_writer(self, local: bool) -> ChunkWriter:
        """The worker side; `local` workers share this disk and write their files themselves."""
        folder = str(self.folder) if local else None
        return ChunkWriter(self.world, self.start, folder, self.charts, self.posterior)

    def add(self, out: ChunkTables) -> None:
        """Take the next chunk (they must come in replicate order)."""
        if out.first != self.written:
            raise ValueError(f"chunk of replicate {out.first} came before {self.written}")
        if out.parquet is not None:
            (self.folder / TIMESERIES / part_name(out.first)).write_bytes(out.parquet)
        self._files["summary"].write(out.summary_csv)
        self._files["defections"].write(out.defections_csv)
        if out.decisions_csv is not None:
            self._files["decisions"].write(out.decisions_csv)
        else:
            part = self.folder / DECISION_PARTS / part_name(out.first, "csv")
            with part.open("rb") as rows:
                shutil.copyfileobj(rows, self._files["decisions"], 1 << 22)
            part.unlink()
        self._summaries.append(out.summary)
        if self._store is not None and out.series is not None:
            self._store.add(out.series)
            self._shapes = out.shapes
        self.written += out.replicates

    def finish(self) -> tuple[pd.DataFrame, Bands | None]:
        """Close the tables; return the whole summary and the charts' statistics (still
        being taken on their threads: `Bands.wait` releases the series once they are)."""
        for file in self._files.values():
            file.close()
        (self.folder / DECISION_PARTS).rmdir()
        summary = pd.concat(self._summaries, ignore_index=True)
        self._summaries = []
        bands = None
        if self._store is not None and self._shapes is not None:
            dates = month_dates(self.start, self.world.months)
            world = self.world
            bands = start_bands(self._store, self._shapes, dates, world.vendors, world.clients,
                                self._store.close)  # fmt: skip
        return summary, bands

    def abandon(self) -> None:
        """Release open files after a failure (the staging folder is removed by its owner)."""
        for file in self._files.values():
            file.close()
        if self._store is not None:
            self._store.close()
