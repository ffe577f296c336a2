"""How much the command says on stderr: `-v`/`-q`, log lines, and warnings said once.

Results go to stdout; everything about the work (progress when stderr is not a terminal,
details with `-v`, warnings) goes through the `labelmarket` logger to stderr. Python
warnings from numpy, pandas or matplotlib become one log line each, naming where they
came from, instead of a source dump repeated for every replicate.
"""

from __future__ import annotations

import argparse
import logging
import sys
import warnings
from typing import Any, TextIO

LOGGER = "labelmarket"
LEVELS = {-2: logging.ERROR, -1: logging.WARNING, 0: logging.INFO, 1: logging.DEBUG}
FORMAT = "%(asctime)s %(levelname)s %(message)s"
DATE = "%H:%M:%S"


def say(message: str) -> None:
    """Tell the user about the work (what was written, how long it took): stderr, not stdout,
    which holds only results (`-q` hides it)."""
    logging.getLogger(LOGGER).info(message)


def add_verbosity(p: argparse.ArgumentParser, suppress: bool = False) -> None:
    """-v (more detail, repeatable) and -q (less: -q hides progress, -qq warnings too)."""
    default: Any = argparse.SUPPRESS if suppress else 0  # a sub-command keeps the global value
    group = p.add_argument_group("output")
    group.add_argument(
        "-v", "--verbose", action="count", default=default, help="say more on stderr (details)"
    )
    group.add_argument(
        "-q", "--quiet", action="count", default=default, help="say less (-q: no progress; -qq)"
    )


def level(verbose: int, quiet: int) -> int:
    """The log level of `-v`/`-q` counts: INFO by default, DEBUG with -v, WARNING with -q."""
    return LEVELS[max(-2, min(1, verbose - quiet))]


def configure(verbosity: int, stream: TextIO | None = None) -> logging.Logger:
    """Send the `labelmarket` logger to stderr at `verbosity`; warnings become log lines."""
    logger = logging.getLogger(LOGGER)
    for handler in list(logger.handlers):
        if getattr(handler, "labelmarket_cli", False):
            logger.removeHandler(handler)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.labelmarket_cli = True  # type: ignore[attr-defined]
    handler.setFormatter(logging.Formatter(FORMAT, DATE))
    logger.addHandler(handler)
    logger.setLevel(verbosity)
    logger.propagate = False
    warnings.showwarning = _log_warning
    if verbosity <= logging.DEBUG:  # -v: every distinct warning, deprecations included
        warnings.simplefilter("default")
    return logger


_SEEN: set[tuple[str, str]] = set()


def _log_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: TextIO | None = None,
    line: str | None = None,
) -> None:
    """One log line per distinct warning, saying which library raised it and where."""
    text = str(message).strip().splitlines()[0] if str(message).strip() else category.__name__
    key = (category.__name__, text)
    logger = logging.getLogger(LOGGER)
    if key in _SEEN and not logger.isEnabledFor(logging.DEBUG):
        return
    _SEEN.add(key)
    where = filename.replace("\\", "/")
    source = next((p for p in ("numpy", "pandas", "matplotlib", "scipy") if f"/{p}/" in where), "")
    origin = f"{source} " if source else ""
    logger.warning(
        "%s%s: %s (%s:%d; repeats are not shown, -v shows them)",
        origin, category.__name__, text, where.rsplit("/", 1)[-1], lineno,
    )  # fmt: skip
