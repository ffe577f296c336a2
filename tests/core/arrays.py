"""Zeroed record arrays of one replicate (a few clients and vendors) for hand-computed cases.

Each test of a rule builds the arrays the rule takes, sets the inputs its case needs and
compares the rule's output with a few lines of arithmetic. The dtypes are the engine's own,
so a rule called here runs the code (and the compiled cache) a run uses.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from labelmarket.model.core.month import DECIDED, Month, empty_month
from labelmarket.model.core.parameters import (
    CLIENT_RECORD,
    MARKET_RECORD,
    VENDOR_RECORD,
    Parameters,
)
from labelmarket.model.core.signals import empty_signals
from labelmarket.model.core.state import (
    CLIENT,
    LABOUR,
    LOOKBACK,
    PAIR,
    RING_CLIENT,
    RING_PAIR,
    RING_VENDOR,
    TREND,
    VENDOR,
    Rings,
)
from labelmarket.model.core.world import Structure


class Market(NamedTuple):
    """Everything a rule of one replicate may take, zeroed: parameters, state and month."""

    p: Parameters
    vendors: np.ndarray  # (1, V) state.VENDOR
    clients: np.ndarray  # (1, C) state.CLIENT
    pairs: np.ndarray  # (1, C, V) state.PAIR
    trend: np.ndarray  # (1,) state.TREND
    labour: np.ndarray  # (1, M) state.LABOUR
    month: Month
    signals: np.ndarray  # (1, V) strategies.SIGNALS
    decided: np.ndarray  # (1, V) month.DECIDED


def market(clients: int = 2, vendors: int = 2, models: int = 2) -> Market:
    """A zeroed market of one replicate; every vendor active (business models: `models`)."""
    c, v = clients, vendors
    state = np.zeros((1, v), VENDOR)
    state["active"] = True
    return Market(
        p=Parameters(
            np.zeros(1, MARKET_RECORD), np.zeros((1, v), VENDOR_RECORD),
            np.zeros((1, c), CLIENT_RECORD),
        ),
        vendors=state,
        clients=np.zeros((1, c), CLIENT),
        pairs=np.zeros((1, c, v), PAIR),
        trend=np.zeros(1, TREND),
        labour=np.zeros((1, models + 1), LABOUR),
        month=empty_month(1, c, v),
        signals=empty_signals(1, v),
        decided=np.zeros((1, v), DECIDED),
    )  # fmt: skip


def structure(business_model, is_lab=(True, True), window: int = 6) -> Structure:
    """A structure for the vendors' business models (crowd 0, expert 1) and the clients."""
    model = np.asarray(business_model, dtype=np.int64)
    return Structure(
        is_lab=np.asarray(is_lab, dtype=np.bool_),
        business_model=model,
        n_models=2,
        entry_month=np.zeros(len(model), dtype=np.int64),
        policy=np.zeros((3, len(model)), dtype=np.int64),
        spin_up_months=1,
        spill_rounds=3,
        defection_window=window,
    )


def rings(clients: int, vendors: int, window: int) -> Rings:
    """Empty rings of one replicate for a defection window (no month held yet)."""
    length = window + 1 + LOOKBACK
    return Rings(
        month=np.full((1, length), -1, dtype=np.int64),
        pairs=np.zeros((1, length, clients, vendors), RING_PAIR),
        vendors=np.zeros((1, length, vendors), RING_VENDOR),
        clients=np.zeros((1, length, clients), RING_CLIENT),
    )
