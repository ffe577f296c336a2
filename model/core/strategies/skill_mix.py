"""Skill-mix strategies: whether a vendor pushes into expert work, and how hard (0..1).

`expert_push` (crowd vendors' default, Scale AI's Outlier in the corpus): when the vendor's
generalist revenue has been falling by more than `push_threshold` while the market's
expert-tier spend grows, the push rises toward a level that reaches 1 when the decline is
twice the threshold, at `push_speed` a month, and relaxes when the signal goes. A push
raises expert pay (`push_pay_premium`, in the pay strategy), expert hiring
(`push_hiring_boost`) and, through pay, expert quality. `none` never pushes.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from labelmarket.model.core.declared import FRACTION, declare
from labelmarket.model.core.strategies.base import Params, Policy, Signals

PARAMETERS = declare("vendor", [
    ("push_threshold", 0.1, "share of revenue",
     "Fall of smoothed generalist revenue that starts an expert push.", {"gt": 0, "le": 1}),
    ("push_speed", 0.1, "per month", "Share of the gap to the wanted push closed a month.",
     FRACTION),
    ("push_hiring_boost", 1.0, "x",
     "Extra expert hiring speed at a full push (1: twice as fast).", {"ge": 0, "le": 10}),
], group="strategy")  # fmt: skip


class ExpertPush(Policy):
    """Push into expert work when the generalist business shrinks and expert demand grows."""

    decision: ClassVar[str] = "skill_mix"
    name: ClassVar[str] = "expert_push"
    parameters = PARAMETERS
    reasons = ("unchanged", "generalist revenue falling", "signal gone")

    @staticmethod
    def decide(s: Signals, p: Params) -> tuple[np.ndarray, np.ndarray]:
        """Next month's push (R, V) and why it moved."""
        threshold = p["push_threshold"]
        wanted = np.clip((s.decline - threshold) / threshold, 0.0, 1.0) * (s.expert_growth > 0)
        step = p["push_speed"] * (wanted - s.push)
        reason = np.where(np.abs(step) > 1e-4, np.where(step > 0, 1, 2), 0)
        return s.push + step, reason


class NoPush(Policy):
    """Never push into expert work (expert networks already are there)."""

    decision: ClassVar[str] = "skill_mix"
    name: ClassVar[str] = "none"
    reasons = ExpertPush.reasons

    @staticmethod
    def decide(s: Signals, p: Params) -> tuple[np.ndarray, np.ndarray]:
        """No push."""
        return np.zeros_like(s.push), np.zeros(s.push.shape, dtype=np.int64)
