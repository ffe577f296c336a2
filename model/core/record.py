"""What a run records of each month: everything (`full`) or only totals (`summary`).

Each month a compiled recorder copies what a run keeps into the run's history, a record
array per kind of entity, (T, R, V) for vendors and (T, R, C) for clients, plus the spend
of every client x vendor x tier (T, R, C, V, 2), the one entry whose size grows with
clients times vendors. A full record keeps it, so the run's tidy table has a row per
client-vendor pair; a summary record keeps only its totals per vendor and tier and per
client, so a run's history grows with clients plus vendors, not their product. The
history reads as a dict of arrays (`History.arrays`), one per recorded quantity, shaped
(T, R, ...).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from labelmarket.model.core.compiled import rule
from labelmarket.model.core.declared import TIERED, record_dtype
from labelmarket.model.core.month import Month

RECORDS: tuple[str, ...] = ("full", "summary")
"""The record modes, the default first."""
PAIR_KEYS: tuple[str, ...] = ("spend",)
"""Entries of a full record shaped per (replicate, client, vendor, tier)."""
F8, I1, BOOL = np.float64, np.int8, np.bool_

VENDOR_HISTORY = record_dtype([
    ("capacity", *TIERED), ("served_hours", *TIERED), ("workforce", *TIERED),
    ("wage", *TIERED), ("quality", *TIERED), ("price", *TIERED), ("hires", *TIERED),
    ("quits", *TIERED), ("poached", *TIERED), ("layoffs", *TIERED), ("staff_target", *TIERED),
    ("labour_supply", *TIERED), ("price_reason", I1, (2,)),
    ("wage_reason", I1, (2,)), ("cash", F8), ("active", BOOL), ("push", F8), ("revenue", F8),
    ("costs", F8), ("overhead", F8), ("valuation", F8), ("funding", F8), ("money_reason", I1),
])  # fmt: skip
"""What a run keeps of each vendor each month."""

CLIENT_HISTORY = record_dtype([("budget", *TIERED), ("unserved", F8)])
"""What a run keeps of each client each month."""


def check_record(record: str) -> str:
    """The record mode, refused with the modes allowed when it is not one (ValueError)."""
    if record not in RECORDS:
        raise ValueError(f"record must be one of {', '.join(RECORDS)}, not {record!r}")
    return record


@dataclass
class History:
    """A run's months: vendor and client records and the pairs' spend (full record)."""

    vendors: np.ndarray  # (T, R, V) VENDOR_HISTORY
    clients: np.ndarray  # (T, R, C) CLIENT_HISTORY
    spend: np.ndarray | None  # (T, R, C, V, 2) $, a full record only
    spend_by_vendor: np.ndarray | None  # (T, R, V, 2) $, a summary record only
    spend_by_client: np.ndarray | None  # (T, R, C) $, a summary record only
    first: int = 0  # where the batch's replicates start on R (a chunk of a larger run's)

    @classmethod
    def empty(cls, months: int, replicates: int, clients: int, vendors: int, record: str):
        """Room for `months` months of a batch."""
        full = check_record(record) == "full"
        t, r, c, v = months, replicates, clients, vendors
        return cls(
            vendors=np.zeros((t, r, v), VENDOR_HISTORY),
            clients=np.zeros((t, r, c), CLIENT_HISTORY),
            spend=np.zeros((t, r, c, v, 2)) if full else None,
            spend_by_vendor=None if full else np.zeros((t, r, v, 2)),
            spend_by_client=None if full else np.zeros((t, r, c)),
        )

    def keep(self, t: int, month: Month, decided: np.ndarray) -> None:
        """Record month t."""
        keep_month(t, month, decided, self.vendors, self.clients, self.first)
        spend = month.pairs["spend"]
        rows = slice(self.first, self.first + len(spend))
        if self.spend is not None:
            self.spend[t, rows] = spend
        else:  # summed as the run's metrics sum a full record, so totals agree to the bit
            spend = np.ascontiguousarray(spend)
            self.spend_by_vendor[t, rows] = spend.sum(axis=1)
            self.spend_by_client[t, rows] = spend.sum(axis=(2, 3))

    def arrays(self) -> dict[str, np.ndarray]:
        """Every recorded quantity by name, shaped (T, R, ...)."""
        out = {name: self.vendors[name] for name in VENDOR_HISTORY.names}
        out.update({name: self.clients[name] for name in CLIENT_HISTORY.names})
        if self.spend is not None:
            out["spend"] = self.spend
        else:
            out["spend_by_vendor"] = self.spend_by_vendor
            out["spend_by_client"] = self.spend_by_client
        return out


@rule
def keep_month(t, month, decided, vendors, clients, first):
    """Copy what a run keeps of month t into the history records (replicate r at first + r)."""
    for r in range(month.vendors.shape[0]):
        for v in range(month.vendors.shape[1]):
            row, out, why = month.vendors[r, v], vendors[t, first + r, v], decided[r, v]
            for k in range(2):
                out.capacity[k] = row.capacity[k]
                out.served_hours[k] = row.served_hours[k]
                out.workforce[k] = row.workforce[k]
                out.wage[k] = row.wage[k]
                out.quality[k] = row.quality[k]
                out.price[k] = row.price[k]
                out.hires[k] = row.hires[k]
                out.quits[k] = row.quits[k]
                out.poached[k] = row.poached[k]
                out.layoffs[k] = row.layoffs[k]
                out.staff_target[k] = row.staff_target[k]
                out.labour_supply[k] = row.labour_supply[k]
                out.price_reason[k] = why.price_reason[k]
                out.wage_reason[k] = why.wage_reason[k]
            out.cash, out.active, out.push = row.cash, row.active, row.push
            out.revenue, out.costs, out.overhead = row.revenue, row.costs, row.overhead
            out.valuation, out.funding = row.valuation, row.funding
            out.money_reason = row.money_reason
        for c in range(month.clients.shape[1]):
            client, out = month.clients[r, c], clients[t, first + r, c]
            out.budget[0], out.budget[1] = client.budget[0], client.budget[1]
            out.unserved = client.unserved
