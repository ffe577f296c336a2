"""Skill-mix strategies: whether a vendor pushes into expert work, and how hard (0..1).

`expert_push` (crowd vendors' default, Scale AI's Outlier in the corpus): when the vendor's
generalist revenue has been falling by more than `push_threshold` while the market's
expert-tier spend grows, the push rises toward a level that reaches 1 when the decline is
twice the threshold, at `push_speed` a month, and relaxes when the signal goes. A push
raises expert pay (`push_pay_premium`, in the pay strategy), expert hiring
(`push_hiring_boost`) and, through pay, expert quality. `none` never pushes.
"""

from __future__ import annotations

from typing import Annotated, ClassVar

from labelmarket.model.core.compiled import rule
from labelmarket.model.core.declared import FRACTION, declarations, param
from labelmarket.model.core.strategies.base import MOVE, Policy

EXPERT_PUSH, NONE = range(2)  # policy codes
UNCHANGED, GENERALIST_REVENUE_FALLING, SIGNAL_GONE = range(3)
REASONS = ("unchanged", "generalist revenue falling", "signal gone")


class SkillMix:
    """Parameters of the skill-mix policies, per vendor: (R, V)."""

    push_threshold: Annotated[
        float,
        param(
            0.1,
            "share of revenue",
            "Fall of smoothed generalist revenue that starts an expert push.",
            gt=0,
            le=1,
        ),
    ]
    push_speed: Annotated[
        float,
        param(0.1, "per month", "Share of the gap to the wanted push closed a month.", **FRACTION),
    ]
    push_hiring_boost: Annotated[
        float,
        param(
            1.0, "x", "Extra expert hiring speed at a full push (1: twice as fast).", ge=0, le=10
        ),
    ]


PARAMETERS = declarations(SkillMix, "vendor", "strategy")


class ExpertPush(Policy):
    """Push into expert work when the generalist business shrinks and expert demand grows."""

    decision: ClassVar[str] = "skill_mix"
    name: ClassVar[str] = "expert_push"
    code: ClassVar[int] = EXPERT_PUSH
    parameters = PARAMETERS
    reasons = REASONS


class NoPush(Policy):
    """Never push into expert work (expert networks already are there)."""

    decision: ClassVar[str] = "skill_mix"
    name: ClassVar[str] = "none"
    code: ClassVar[int] = NONE
    reasons = REASONS


@rule
def expert_push(s, p):
    """Next month's push and the reason it moved, from a vendor's signals `s` and
    parameters `p` (records)."""
    threshold = p.push_threshold
    wanted = min(max((s.decline - threshold) / threshold, 0.0), 1.0)
    if not s.expert_growth > 0:
        wanted = 0.0
    step = p.push_speed * (wanted - s.push)
    reason = UNCHANGED
    if abs(step) > MOVE:
        reason = GENERALIST_REVENUE_FALLING if step > 0 else SIGNAL_GONE
    return s.push + step, reason


@rule
def push(code, s, p):
    """Next month's push and reason by the vendor's skill-mix policy (`code`)."""
    if code == NONE:
        return 0.0, UNCHANGED
    return expert_push(s, p)
