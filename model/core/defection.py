"""Defections: a client defects from a vendor when the vendor's share of its spend falls by
more than the client's threshold within the defection window. Each is attributed to the
cause whose removal would have kept the most share, by counterfactuals on the choice:
the client's wanted share at the vendor is recomputed with one input set back to what it
was when the fall began (its beliefs about quality, prices, the conflicts of interest, the
task mix of its budget); capacity is the share the vendor could not serve this month; a
pause or exit event that blocked the pair is a script, not a choice. When nothing in the
window explains the fall (contracts still running down after an older change), the causes
are looked for over the last year.
"""

from __future__ import annotations

import numpy as np

from labelmarket.model.core.state import TERM_NAMES, MarketState
from labelmarket.model.core.world import World

CAUSES = ("belief", "log_price", "conflict", None, "weight")  # TERM_NAMES order, capacity None
KEPT = tuple(k for k in CAUSES if k is not None)
"""What a past month's snapshot must still hold: the inputs a cause sets back (the rest is
read only in the month of the defection, so it is dropped once the month is done)."""
PAUSE = TERM_NAMES.index("scripted pause")
CAPACITY = TERM_NAMES.index("capacity")


def snapshot(state: MarketState, parts: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """What attributing a later defection needs from this month (references, not copies)."""
    return {"belief": state.belief_mean, "log_price": np.log(state.price), **parts}


def _wanted(world, snap, rows, r, c, v) -> np.ndarray:
    """Wanted share of client spend at vendor v for each (r, c) found: (n,)."""
    u = world.quality_sensitivity[r, c][:, None, None] * snap["belief"][r, c]
    u = u - world.price_sensitivity[r, c][:, None, None] * snap["log_price"][r]
    side = rows["match"] + snap["owner"][r, c] - snap["conflict"][r, c]
    u = np.where(rows["open"], u + side[..., None], -np.inf)
    top = u.max(axis=1, keepdims=True)
    w = np.exp(u - np.where(np.isfinite(top), top, 0.0))
    share = w / np.maximum(w.sum(axis=1, keepdims=True), 1e-300)  # (n, V, 2)
    picked = share[np.arange(len(r)), v]  # (n, 2)
    return (picked * snap["weight"][r, c]).sum(axis=-1)


def attribute(world, state, now, before, r, c, v) -> np.ndarray:
    """Recovered share per cause (n, 5): what each would have kept, capacity included."""
    rows = {"match": state.match[r, c], "open": now["open"][r, c]}
    base = _wanted(world, now, rows, r, c, v)
    out = np.zeros((len(r), len(CAUSES)))
    for j, key in enumerate(CAUSES):
        if key is None:  # the share of its budget the client asked for but was not served
            asked = now["requested"][r, c, v].sum(-1) - now["spend"][r, c, v].sum(-1)
            out[:, j] = asked / np.maximum(now["budget"][r, c].sum(-1), 1e-300)
            continue
        mixed = {**now, key: before[key]}
        out[:, j] = _wanted(world, mixed, rows, r, c, v) - base
    return out


def _drivers(world, state, r, c, v) -> np.ndarray:
    """The cause of each defection found (index into TERM_NAMES)."""
    now = state.snapshots[state.month % len(state.snapshots)]
    window = int(world.defection_window)
    recovered = np.zeros((len(r), len(CAUSES)))
    for back in (window, len(state.snapshots) - 1):
        before = state.snapshots[(state.month - back) % len(state.snapshots)]
        if before is None or back > state.month:
            continue
        todo = recovered.max(axis=-1) <= 1e-6
        if todo.any():
            recovered[todo] = attribute(world, state, now, before, r[todo], c[todo], v[todo])
    driver = np.where(recovered.max(axis=-1) > 1e-6, np.argmax(recovered, axis=-1), CAPACITY)
    return np.where(state.blocked[r, c, v], PAUSE, driver)


def detect(
    world: World,
    state: MarketState,
    vendor_share: np.ndarray,
    spent: np.ndarray,
    snap: dict[str, np.ndarray],
) -> dict[str, np.ndarray]:
    """Find this month's defections and roll the histories; returns one entry per defection."""
    t = state.month
    window = int(world.defection_window)
    length = len(state.snapshots)
    state.snapshots[t % length] = snap
    before_slot = (t - window) % length
    drop = state.share_history[before_slot] - vendor_share
    found = (
        (t >= window)
        & spent[..., None]
        & state.spent_history[before_slot][..., None]
        & (drop > world.defection_threshold[..., None])
        & (t - state.last_defection > window)
    )
    r, c, v = np.nonzero(found)
    record = {
        "replicate": r,
        "month": np.full(r.shape, t),
        "client": c,
        "vendor": v,
        "driver": _drivers(world, state, r, c, v) if r.size else np.zeros(0, np.int64),
        "share_before": state.share_history[before_slot, r, c, v],
        "share_after": vendor_share[r, c, v],
    }
    state.snapshots[t % length] = {k: snap[k] for k in KEPT}
    state.last_defection[r, c, v] = t
    state.share_history[t % length] = vendor_share
    state.spent_history[t % length] = spent
    return record
