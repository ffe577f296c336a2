"""Skill-mix strategies: whether a vendor pushes into expert work, and how hard (0..1).

`expert_push` (crowd vendors' default; Scale AI's Outlier in the corpus): when the
market's expert share of spend has risen, since the start, by more than the vendor's own
expert share of revenue plus `push_threshold`, the vendor pushes (to 1 at twice the
threshold), at `push_speed` a month, and relaxes when the gap closes. A push recruits
experts ahead of demand (`push_hiring_boost` of the expert staff target), which raises
expert pay through the labour market and, through pay, expert quality. A pivot (an event)
commits a push that the policy does not undo. `none` never pushes.
"""

from __future__ import annotations

from typing import Annotated, ClassVar

from labelmarket.model.core.compiled import rule
from labelmarket.model.core.declared import FRACTION, declarations, param
from labelmarket.model.core.strategies.base import MOVE, Policy

EXPERT_PUSH, NONE = range(2)  # policy codes
UNCHANGED, MARKET_MOVING_TO_EXPERTS, GAP_CLOSED = range(3)
REASONS = ("unchanged", "market moving to expert work", "gap closed")


class SkillMix:
    """Parameters of the skill-mix policies, per vendor: (R, V)."""

    # fmt: off
    push_threshold: Annotated[float, param(
        0.05, "share of spend",
        "Rise of the market's expert share of spend, beyond the vendor's own expert share of "
        "revenue, that starts an expert push.",
        gt=0, le=1)]
    push_speed: Annotated[float, param(
        0.1, "per month",
        "Share of the gap to the wanted push closed a month.",
        **FRACTION)]
    push_hiring_boost: Annotated[float, param(
        0.5, "share of staff",
        "Experts a full push recruits ahead of demand, as a share of the expert staff the "
        "work needs.",
        ge=0, le=10)]
    # fmt: on


PARAMETERS = declarations(SkillMix, "vendor", "strategy")


class ExpertPush(Policy):
    """Push into expert work when the market moves to it faster than the vendor."""

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
    wanted = min(max((s.expert_gap - threshold) / threshold, 0.0), 1.0)
    step = p.push_speed * (wanted - s.push)
    new = max(s.push + step, s.push_floor)
    reason = UNCHANGED
    if abs(new - s.push) > MOVE:
        reason = MARKET_MOVING_TO_EXPERTS if new > s.push else GAP_CLOSED
    return new, reason


@rule
def push(code, s, p):
    """Next month's push and reason by the vendor's skill-mix policy (`code`)."""
    if code == NONE:
        return s.push_floor, UNCHANGED
    return expert_push(s, p)
