"""What a month's record keeps: everything (`full`) or only totals (`summary`, large worlds).

The month's record holds spend per client x vendor x tier, the one entry whose size grows
with clients times vendors. A full record keeps it, so the run's tidy table has a row per
client-vendor pair; a summary record keeps only its totals per vendor and tier and per
client, as the month is recorded, so a run's history grows with clients plus vendors, not
their product. Every other entry is the same in both.
"""

from __future__ import annotations

import numpy as np

from labelmarket.model.core.month import Month

RECORDS: tuple[str, ...] = ("full", "summary")
"""The record modes, the default first."""
PAIR_KEYS: tuple[str, ...] = ("spend",)
"""Entries of a full record shaped per (replicate, client, vendor, tier)."""
VENDOR_KEYS: tuple[str, ...] = (
    "capacity", "served_hours", "workforce", "wage", "quality", "price", "cash", "active",
    "push", "revenue", "costs", "overhead", "valuation", "hires", "quits", "poached", "layoffs",
    "staff_target", "labour_supply", "funding", "money_reason",
)  # fmt: skip
"""Fields of the month's vendor records a run records, by their own names."""


def check_record(record: str) -> str:
    """The record mode, refused with the modes allowed when it is not one (ValueError)."""
    if record not in RECORDS:
        raise ValueError(f"record must be one of {', '.join(RECORDS)}, not {record!r}")
    return record


def month_record(month: Month, decided: np.ndarray) -> dict[str, np.ndarray]:
    """The month's record: views of the month's fields and its decisions' reasons (copy
    them before the next month)."""
    out = {"spend": month.pairs["spend"], "budget": month.clients["budget"],
           "unserved": month.clients["unserved"]}  # fmt: skip
    out.update({key: month.vendors[key] for key in VENDOR_KEYS})
    out["price_reason"] = decided["price_reason"].astype(np.int8)
    out["wage_reason"] = decided["wage_reason"].astype(np.int8)
    out["money_reason"] = month.vendors["money_reason"].astype(np.int8)
    return out


def summarise(record: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The month's record without its client x vendor entries, their totals in their place.

    `spend_by_vendor` (R, V, 2) and `spend_by_client` (R, C) are summed in the order the
    run's metrics sum a full record (clients one after another; each client's vendors and
    tiers together), so a summary run's totals equal a full run's to the last bit.
    """
    spend = np.ascontiguousarray(record["spend"])
    out = {k: v for k, v in record.items() if k not in PAIR_KEYS}
    out["spend_by_vendor"] = spend.sum(axis=1)
    out["spend_by_client"] = spend.sum(axis=(2, 3))
    return out
