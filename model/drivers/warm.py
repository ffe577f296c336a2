"""Compiling the rules ahead of use: what CI, the fork server and a first run call.

Numba compiles each rule the first time it runs and caches the result per install
(`model.core.compiled`), so the first run after an install pays for it (about a minute)
and every later one loads the cache (a fraction of a second per process). `warm()` runs a
tiny market for two months through both drivers, so everything a run, a sweep, a
calibration or the Mesa model calls is compiled (or loaded) once.
"""

from __future__ import annotations

import numpy as np

from labelmarket.model.core.compiled import is_warm, mark_warm
from labelmarket.model.core.world import World
from labelmarket.model.drivers.agents import Vendor
from labelmarket.model.drivers.batched import run_batch
from labelmarket.model.drivers.mesa_model import MarketModel, load_world

__all__ = ["is_warm", "warm"]


def warm(world: World | None = None) -> None:
    """Compile (or load) every compiled rule by running a small world briefly."""
    if world is None:
        world = load_world("no_deal")
    run_batch(world, [1, 2], months=2)
    run_batch(world, [1], months=1, record="summary")
    batched = world.batched(2)  # a world with one parameter row per replicate
    run_batch(batched, [1, 2], months=1)
    model = MarketModel(world=world, rng=1, collect=False, vendor_class=_DecidingVendor)
    model.step()
    mark_warm()


class _DecidingVendor(Vendor):
    """A vendor that decides itself, so the Mesa driver's phase-by-phase month compiles."""

    def decide(self, signals: np.ndarray):
        """Its policies' decisions, unchanged."""
        return super().decide(signals)


if __name__ == "__main__":
    warm()
