"""Arithmetic over (..., vendor, tier) arrays that runs along the vendors, numbers unchanged.

The pair arrays hold clients x vendors x 2 tiers with the tier innermost in memory. numpy
walks such an array two values at a time when one operand is broadcast over the tiers or
when it reduces over the vendors, which made these passes several times slower than a
plain pass over the same values. These helpers do the same operations tier by tier (or,
for sums over vendors, as a running sum that adds one vendor after another, the order
numpy's reduction uses here), so every result is the same to the last bit.
"""

from __future__ import annotations

import numpy as np


def by_tier(op: np.ufunc, a: np.ndarray, b: np.ndarray, out: np.ndarray | None = None):
    """`op(a, b)` (broadcasting) computed one tier (last axis) at a time: (..., 2)."""
    shape = np.broadcast_shapes(np.shape(a), np.shape(b))
    if out is None:
        out = np.empty(shape, dtype=np.result_type(a, b))
    a, b = np.broadcast_to(a, shape), np.broadcast_to(b, shape)
    for k in range(shape[-1]):
        op(a[..., k], b[..., k], out=out[..., k])
    return out


def by_tier_view(
    op: np.ufunc, a: np.ndarray, b: np.ndarray, out: np.ndarray | None = None
) -> np.ndarray:
    """`op(a, b)` for (R, C, 2, V) views of (R, C, V, 2) arrays; the result has the same
    (R, C, V, 2) memory layout `op(a, b)` would give.

    A factor per vendor and tier (the same for every client) is laid out as the pairs are,
    so each pass runs along a client's vendors and tiers at once; a factor per client runs
    tier by tier, along the vendors.
    """
    if out is None:
        out = np.empty((a.shape[0], a.shape[1], a.shape[3], a.shape[2])).transpose(0, 1, 3, 2)
    if np.shape(b)[1] == 1:  # per vendor and tier: (R, 1, 2, V)
        pairs = np.ascontiguousarray(np.transpose(b, (0, 1, 3, 2)))
        op(a.transpose(0, 1, 3, 2), pairs, out=out.transpose(0, 1, 3, 2))
        return out
    b = np.broadcast_to(b, a.shape)
    for k in range(a.shape[2]):
        op(a[:, :, k], b[:, :, k], out=out[:, :, k])
    return out


def tier_total(x: np.ndarray) -> np.ndarray:
    """Sum over the last (tier) axis, as `x.sum(axis=-1)` gives it: generalist + expert."""
    if x.shape[-1] != 2:
        return x.sum(axis=-1)
    return x[..., 0] + x[..., 1]


def vendor_max(x: np.ndarray) -> np.ndarray:
    """Largest value over vendors (axis 2) of (R, C, V, 2) values, kept as (R, C, 1, 2)."""
    out = np.empty((*x.shape[:2], 1, x.shape[3]))
    for k in range(x.shape[3]):
        np.max(x[..., k], axis=2, out=out[:, :, 0, k])
    return out


def vendor_sum(x: np.ndarray) -> np.ndarray:
    """Sum over vendors (axis 2) of (R, C, V, 2) values, one vendor after another: (R, C, 2).

    That is the order numpy's own reduction takes here (the tier, not the vendor, is
    innermost in memory), so the sums are the same to the last bit. A tier pair read as
    one complex number adds both tiers in one pass along the clients, with the same two
    additions per pair; arrays laid out otherwise take a running sum, in the same order.
    """
    if x.shape[3] != 2 or x.strides[3] != x.itemsize or x.dtype != np.float64:
        return np.add.accumulate(x, axis=2)[:, :, -1]
    pairs = x.view(np.complex128)[..., 0]  # (R, C, V): generalist + i expert
    total = pairs[:, :, 0].copy()
    for v in range(1, pairs.shape[2]):
        total += pairs[:, :, v]
    return total.view(np.float64).reshape(*x.shape[:2], 2)
