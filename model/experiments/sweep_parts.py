"""A sweep's parts verified before they are trusted: a damaged part is set aside and rerun.

Each part (`parts/part-XXXXXXXX.parquet`, one finished chunk) is written with Parquet page
checksums and renamed into place whole (`model.experiments.sweep`). A disk fault, a full
disk on a file system that lies, or a copy gone wrong can still damage one: a truncated
footer ("Parquet magic bytes not found"), overwritten bytes ("Couldn't deserialize
thrift", a page checksum that fails). Before a sweep resumes, every part is read whole
with its checksums verified and its columns checked; a damaged part is renamed
`part-XXXXXXXX.parquet.damaged` (kept for inspection, no longer read), reported, and its
runs are simply missing, so the resumed sweep runs them again: their seeds come from
(sweep seed, point, replicate), so the results equal an uninterrupted sweep's.
"""

from __future__ import annotations

import base64
import json
import logging
import os
from pathlib import Path

import pyarrow.parquet as pq

from labelmarket.errors import is_actionable

PARTS = "parts"
DAMAGED = ".damaged"  # suffix of a part set aside

log = logging.getLogger("labelmarket")


def part_files(out: Path) -> list[Path]:
    """The parts of a sweep folder, in run order (set-aside and temporary files excluded)."""
    return sorted((out / PARTS).glob("part-*.parquet"))


def problem(part: Path, columns: list[str] | None = None) -> str | None:
    """Why `part` cannot be trusted (unreadable, a failed checksum, columns missing), or None.

    `columns` are those every part must hold; a part may hold more (a posterior's draw).
    """

    try:
        table = pq.read_table(part, page_checksum_verification=True)
        _check_metadata(pq.ParquetFile(part).metadata.metadata or {})
    except Exception as exc:  # pyarrow says ArrowInvalid, OSError or worse for a bad file
        if is_actionable(exc):  # permission or the like: not damage, the user can fix it
            raise
        return str(exc).splitlines()[0][:200] or type(exc).__name__
    missing = [c for c in columns or [] if c not in table.column_names]
    if missing:
        return f"it lacks the columns {', '.join(missing)}"
    if table.num_rows == 0:
        return "it holds no runs"
    return None


def _check_metadata(metadata: dict[bytes, bytes]) -> None:
    """Raise unless the file's key-value metadata (which no page checksum covers) decodes."""
    for key, value in metadata.items():
        if key == b"ARROW:schema":
            base64.b64decode(value, validate=True)
        elif key == b"pandas":
            json.loads(value.decode("utf-8"))
        else:
            value.decode("utf-8")


def set_aside_damaged(out: Path, columns: list[str] | None = None) -> list[Path]:
    """Check every part; rename the damaged ones `*.parquet.damaged`, report them, return them."""
    aside = []
    for part in part_files(out):
        why = problem(part, columns)
        if why is None:
            continue
        moved = part.with_name(part.name + DAMAGED)
        os.replace(part, moved)
        aside.append(moved)
        log.warning(
            "%s is damaged (%s); set aside as %s, its runs will be run again",
            part, why, moved.name,
        )  # fmt: skip
    return aside
