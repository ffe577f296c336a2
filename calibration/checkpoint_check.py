"""A calibration checkpoint verified on read: a damaged one is reported, set aside and redone.

`checkpoint.npz` is a zip of arrays whose CRC-32s are checked as each is read, so a
truncated file (`BadZipFile`; `EOFError` when empty) or overwritten bytes (`Bad CRC-32`)
show up when it is loaded; so do arrays that do not fit together. Instead of a
traceback, the file is renamed `checkpoint.npz.damaged` (kept for inspection), a warning
says so, and the fit starts again from generation 0: every draw is keyed by (seed,
generation, round), so it reaches exactly the result of a fit never interrupted.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from labelmarket.calibration.abc_smc import AbcState, load_checkpoint
from labelmarket.errors import is_actionable

DAMAGED = ".damaged"

log = logging.getLogger("labelmarket")


def damage(path: Path) -> tuple[AbcState | None, str]:
    """(the checkpoint's state, '') or (None, why it cannot be trusted)."""
    try:
        state = load_checkpoint(path)
    except Exception as exc:  # zipfile, zlib, numpy, json or our own reading of it failed
        if is_actionable(exc):  # permission or the like: not damage, the user can fix it
            raise
        return None, f"{type(exc).__name__}: {str(exc)[:160]}"
    for g, pop in enumerate(state.populations):
        n = len(pop.theta)
        if not (len(pop.weights) == len(pop.distances) == len(pop.stats) == n):
            return None, f"generation {g}'s arrays do not have one row per particle"
    return state, ""


def read_or_set_aside(path: Path) -> AbcState | None:
    """The checkpoint's state; None (after reporting and setting it aside) when damaged."""
    state, why = damage(path)
    if state is not None:
        return state
    aside = path.with_name(path.name + DAMAGED)
    os.replace(path, aside)
    log.warning(
        "%s is damaged (%s); set aside as %s, the fit starts again from generation 0 "
        "(same seed, same result)",
        path, why, aside.name,
    )  # fmt: skip
    return None
