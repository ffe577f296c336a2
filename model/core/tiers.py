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
    """`op(a, b)` for (R, C, 2, V) views of (R, C, V, 2) arrays, one tier at a time; the
    result has the same (R, C, V, 2) memory layout `op(a, b)` would give."""
    if out is None:
        out = np.empty((a.shape[0], a.shape[1], a.shape[3], a.shape[2])).transpose(0, 1, 3, 2)
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


def vendor_sum(x: np.ndarray, axis: int) -> np.ndarray:
    """Sum over the vendor `axis` of pair x tier values, one vendor after another, kept as
    length 1: the order numpy's reduction takes when vendors are not innermost in memory."""
    return np.take(np.add.accumulate(x, axis=axis), [-1], axis=axis)
