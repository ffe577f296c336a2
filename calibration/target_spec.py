"""What one calibration target says, as written in targets.yaml, and the words it rests on.

Every target names the article words it reads (`evidence`: source file, a short French
phrase, an English gloss) and says whether its number is in those words (`stated`), is the
plain meaning of a word such as "largest" or "falls" (`qualitative`: a ratio bound of 1 or
a difference bound of 0), or is the project's own reading (`interpretation`: the text gives
no number). An interpretation carries two `alternatives`, a weaker and a stronger reading,
which the sensitivity check refits with (`labelmarket calibrate --interpretations`).
Targets that hold by construction of the scenario (`role: check`) are measured and reported
apart, never fitted. A target about what the stake caused (`consequence: true`) is measured
against the same world without the stake (`counterfactual: ratio | difference`), with the
same seeds, so a trend that would have happened anyway cannot meet it.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from labelmarket.model.scenario.fields import YEAR_MONTH

MAX_PHRASE_WORDS = 12
"""A phrase is a pointer into the article, a few words, never a passage."""


def _month_text(value: Any) -> Any:
    """YAML may read 2025-06 as text and 2025-06-01 as a date; keep months as text."""
    return value.strftime("%Y-%m") if hasattr(value, "strftime") else value


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Evidence(_Strict):
    """The words a target reads: where they are, what they say, what they mean in English."""

    file: str = Field(pattern=r"^[^/\\]+\.txt$")
    phrase: str = Field(min_length=3)
    gloss: str = Field(min_length=3)

    @field_validator("phrase")
    @classmethod
    def _short(cls, v: str) -> str:
        if len(v.split()) > MAX_PHRASE_WORDS:
            raise ValueError(f"a phrase is a few words (at most {MAX_PHRASE_WORDS}), not a passage")
        return v


class TargetSpec(_Strict):
    """One target as written in targets.yaml."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    description: str = Field(min_length=1)
    facts: list[str] = Field(min_length=1)
    evidence: list[Evidence] = Field(min_length=1)
    number: Literal["stated", "qualitative", "interpretation"]
    reading: str | None = None
    interpretation: str | None = Field(default=None, pattern=r"^[a-z][a-z0-9_]*$")
    alternatives: tuple[float, float] | None = None
    role: Literal["fit", "check"] = "fit"
    construction: str | None = None
    consequence: bool = False
    counterfactual: Literal["ratio", "difference", "level"] | None = None
    series: str
    args: dict[str, str | list[str]] = Field(default_factory=dict)
    statistic: Literal["sum", "mean", "ratio"]
    window: tuple[str, str]
    baseline: tuple[str, str] | None = None
    relation: Literal["approx", "at_least", "at_most"]
    observed: float | None = None
    tolerance: float = Field(gt=0, le=10)
    unit: str = ""

    @field_validator("window", "baseline", mode="before")
    @classmethod
    def _months(cls, v: Any) -> Any:
        if isinstance(v, list | tuple):
            v = [_month_text(x) for x in v]
            if len(v) == 1:
                v = [v[0], v[0]]
            for x in v:
                if not isinstance(x, str) or not re.match(YEAR_MONTH, x):
                    raise ValueError("months must be YYYY-MM")
        return v

    @model_validator(mode="after")
    def _audit(self) -> TargetSpec:
        interpreted = self.number == "interpretation"
        if interpreted != (self.alternatives is not None and self.interpretation is not None):
            raise ValueError(
                "an interpretation needs, and only an interpretation takes, `interpretation` "
                "(the reading's name) and `alternatives` [weaker, stronger]"
            )
        if interpreted and not self.reading:
            raise ValueError("an interpretation needs `reading`: why this number")
        if (self.role == "check") != bool(self.construction):
            raise ValueError("`construction` (why it holds by construction) goes with role: check")
        if self.consequence and self.counterfactual not in ("ratio", "difference"):
            raise ValueError(
                "a consequence of the stake is measured against the world without it: "
                "counterfactual: ratio or difference"
            )
        if self.counterfactual == "difference" and self.relation == "approx":
            raise ValueError("a difference is compared with a bound (at_least or at_most)")
        return self


def check_alternatives(spec: TargetSpec, observed: float) -> str | None:
    """Why an interpretation's [weaker, stronger] alternatives are out of order, or None."""
    if spec.alternatives is None:
        return None
    weaker, stronger = spec.alternatives
    if spec.relation == "at_least" and not weaker < observed < stronger:
        return f"for at_least, need weaker < {observed:g} < stronger, got {list(spec.alternatives)}"
    if spec.relation == "at_most" and not weaker > observed > stronger:
        return f"for at_most, need weaker > {observed:g} > stronger, got {list(spec.alternatives)}"
    if spec.relation == "approx" and (min(spec.alternatives) <= 0 or weaker == stronger):
        return "an approx target's alternatives are two different positive values"
    if 0 in spec.alternatives:
        return "a bound must be non-zero"
    return None
