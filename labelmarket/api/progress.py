"""Progress of long work: a bar on a terminal, log lines elsewhere, nothing with -q.

On a terminal a tqdm bar appears once the work takes over a second. When stderr is a
file, a pipe or a CI log, a bar would be one endless line, so the same progress is logged
instead (logger `labelmarket`, level INFO), every `LOG_EVERY` seconds and once at the end.
`-q` (a level above INFO) silences both.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import time
from collections.abc import Iterator
from typing import Any

from tqdm import tqdm

LOG_EVERY = 10.0  # seconds between progress log lines
DELAY = 1.0  # seconds of work before any progress is shown
logger = logging.getLogger("labelmarket")


class LogProgress:
    """The part of tqdm's interface the jobs use, reporting through the logger."""

    def __init__(self, total: int, unit: str, desc: str, initial: int = 0) -> None:
        self.total, self.unit, self.desc, self.n = total, unit, desc, initial
        self.started = self.last = time.monotonic()
        self.postfix = ""
        self.logged = False

    def update(self, n: int = 1) -> None:
        """Count `n` more units done; log a line if the last one is old enough."""
        self.n += n
        self.refresh()

    def set_postfix(self, **values: Any) -> None:
        """Extra figures for the next line (e.g. a calibration's generation and tolerance)."""
        self.postfix = ", ".join(f"{k}={v}" for k, v in values.items())

    def refresh(self) -> None:
        """Log now if DELAY has passed since the start and LOG_EVERY since the last line."""
        now = time.monotonic()
        if now - self.started >= DELAY and (not self.logged or now - self.last >= LOG_EVERY):
            self._log(now)

    def close(self) -> None:
        """A last line when progress was shown at all (so a log says the work finished)."""
        if self.logged:
            self._log(time.monotonic())

    def _log(self, now: float) -> None:
        share = f" ({self.n / self.total:.0%})" if self.total else ""
        extra = f"; {self.postfix}" if self.postfix else ""
        logger.info(
            "%s: %s/%s %s%s%s, %.0f s", self.desc, f"{self.n:,}", f"{self.total:,}", self.unit,
            share, extra, now - self.started,
        )  # fmt: skip
        self.last, self.logged = now, True


@contextlib.contextmanager
def progress_bar(
    total: int, unit: str, desc: str, initial: int = 0, enabled: bool = True
) -> Iterator[Any]:
    """A tqdm bar on a terminal, progress log lines elsewhere; closed on the way out."""
    shown = enabled and logger.isEnabledFor(logging.INFO)
    if shown and not sys.stderr.isatty():
        bar: Any = LogProgress(total, unit, desc, initial)
    else:
        bar = tqdm(total=total, initial=initial, unit=unit, desc=desc, delay=DELAY,
                   disable=not shown or None)  # fmt: skip
    try:
        yield bar
    finally:
        bar.close()
