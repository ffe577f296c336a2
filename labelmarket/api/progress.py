"""Progress bars for long work: shown on a terminal after a second, silent otherwise."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any


@contextlib.contextmanager
def progress_bar(
    total: int, unit: str, desc: str, initial: int = 0, enabled: bool = True
) -> Iterator[Any]:
    """A tqdm bar (appearing only if the work takes over a second) that closes itself."""
    from tqdm import tqdm

    bar = tqdm(
        total=total, initial=initial, unit=unit, desc=desc, delay=1.0, disable=not enabled or None
    )
    try:
        yield bar
    finally:
        bar.close()
