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


def spread_over_vendors(b: np.ndarray, n_vendors: int) -> np.ndarray:
    """A per-client pair of tier values (R, C, 1, 2) repeated for every vendor: (R, C, V, 2).

    Read as one complex number, each pair is copied whole, so the copy runs along the
    vendors rather than two values at a time; the values are the same.
    """
    pairs = np.ascontiguousarray(b[:, :, 0, :], dtype=np.float64).view(np.complex128)
    full = np.broadcast_to(pairs, (*pairs.shape[:2], n_vendors)).copy()
    return full.view(np.float64).reshape(*pairs.shape[:2], n_vendors, 2)


def _per_client(a: np.ndarray, b: np.ndarray) -> bool:
    """Whether `b` holds one tier pair per client for the (R, C, V, 2) float array `a`."""
    shape = np.shape(b)
    return (
        a.ndim == 4 and len(shape) == 4 and shape[2] == 1 and shape[3] == a.shape[3] == 2
        and shape[:2] == a.shape[:2] and a.shape[2] > 1 and a.dtype == np.float64
    )  # fmt: skip


def by_tier(op: np.ufunc, a: np.ndarray, b: np.ndarray, out: np.ndarray | None = None):
    """`op(a, b)` (broadcasting) computed one tier (last axis) at a time: (..., 2).

    A factor per client (one pair of tiers for all vendors) is first spread over the
    vendors, so the operation itself is one plain pass.
    """
    if _per_client(a, b):
        full = spread_over_vendors(b, a.shape[2])
        return op(a, full, out=full if out is None else out)
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

    The operation runs on the arrays as they lie in memory, with a factor per vendor and
    tier (the same for every client) laid out as the pairs are and a factor per client
    spread over the vendors, so each pass runs along the clients' pairs.
    """
    if out is None:
        out = np.empty((a.shape[0], a.shape[1], a.shape[3], a.shape[2])).transpose(0, 1, 3, 2)
    pairs = np.transpose(b, (0, 1, 3, 2))  # as the pairs lie in memory
    mem_a, mem_out = a.transpose(0, 1, 3, 2), out.transpose(0, 1, 3, 2)
    if _per_client(mem_a, pairs):
        op(mem_a, spread_over_vendors(pairs, mem_a.shape[2]), out=mem_out)
    else:
        op(mem_a, np.ascontiguousarray(pairs), out=mem_out)
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
