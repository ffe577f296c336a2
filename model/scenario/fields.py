"""Building blocks of every input schema: strict blocks, documented fields, months, tiers.

Scenario files, sweep files and calibration files all refuse unknown keys and every NaN or
infinity through `Strict`; a documented field carries its unit (`P`); declared world
parameters become pydantic fields through `declared_field`, so their limits and meanings
are written once, in `model.core.parameters`. Names that end up in output paths are
`Slug`s; months are `YearMonth`s between `FIRST_YEAR` and `LAST_YEAR`.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, create_model

from labelmarket.model.core.parameters import Declared, in_scope
from labelmarket.model.core.strategies import POLICIES, VENDOR_DECISIONS
from labelmarket.model.core.world import TIERS

YEAR_MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"
FIRST_YEAR, LAST_YEAR = 1900, 2200
"""Months outside these years are refused (dates in outputs are pandas timestamps)."""
SLUG = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")


def _to_year_month(value: Any) -> Any:
    """Accept YAML dates (2025-06-12) as their month; leave other input to the pattern."""
    if isinstance(value, dt.date):
        return f"{value.year:04d}-{value.month:02d}"
    return value


def _in_years(value: str) -> str:
    """A YYYY-MM month whose year the outputs can hold."""
    if not FIRST_YEAR <= int(value[:4]) <= LAST_YEAR:
        raise ValueError(f"{value}: the year must be between {FIRST_YEAR} and {LAST_YEAR}")
    return value


def _slug(value: str) -> str:
    """A name that is safe as one folder name (it becomes `runs/<name>`)."""
    if not SLUG.fullmatch(value):
        raise ValueError(
            f"{value[:40]!r} is not a usable name: 1 to 64 letters, digits, '_', '-' or '.', "
            "starting with a letter or digit (it names the default output folder)"
        )
    return value


YearMonth = Annotated[
    str,
    BeforeValidator(_to_year_month),
    Field(pattern=YEAR_MONTH, description="YYYY-MM"),
    AfterValidator(_in_years),
]
Slug = Annotated[str, AfterValidator(_slug), Field(description="A name usable as a folder.")]
Tier = Literal[TIERS]  # type: ignore[valid-type]


def month_index(start: str, month: str) -> int:
    """Months from `start` to `month` (both YYYY-MM); month 0 is the first simulated month."""
    y0, m0 = (int(x) for x in start.split("-"))
    y1, m1 = (int(x) for x in month.split("-"))
    return (y1 - y0) * 12 + (m1 - m0)


class Strict(BaseModel):
    """Base for every schema block: unknown keys, NaN and infinities are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


def P(default: Any, unit: str, description: str, **limits: Any) -> Any:
    """A documented field: default, unit and meaning travel with it."""
    return Field(default, description=description, json_schema_extra={"unit": unit}, **limits)


def _limits(d: Declared) -> dict[str, float]:
    """The pydantic constraints of a declaration."""
    return {
        k: v for k, v in (("ge", d.ge), ("gt", d.gt), ("le", d.le), ("lt", d.lt)) if v is not None
    }


@functools.cache
def tier_pair(ge: float | None, gt: float | None, le: float | None, lt: float | None) -> type:
    """A (generalist, expert) pair of numbers sharing the same limits."""
    limits = {k: v for k, v in (("ge", ge), ("gt", gt), ("le", le), ("lt", lt)) if v is not None}
    bounds = "_".join(f"{k}{v:g}" for k, v in limits.items())
    name = "TierPair_" + bounds.replace("-", "m").replace(".", "p").replace("+", "")  # JSON refs
    fields = {tier: (float, Field(..., **limits)) for tier in TIERS}
    return create_model(name, __base__=Strict, **fields)


def declared_field(d: Declared) -> tuple[Any, Any]:
    """(annotation, FieldInfo) of a declared parameter, for `pydantic.create_model`."""
    default = ... if d.required else d.default
    if d.per_tier:
        pair = tier_pair(d.ge, d.gt, d.le, d.lt)
        if default is None:
            return pair | None, P(None, d.unit, d.meaning)
        if isinstance(default, dict):
            default = pair(**default)
        elif default is not ...:
            default = pair(**dict.fromkeys(TIERS, default))
        return pair, P(default, d.unit, d.meaning)
    annotation = int if d.integer else float
    return annotation, P(default, d.unit, d.meaning, **_limits(d))


def strategy_block() -> type:
    """The `strategy:` block of a vendor: its policy per decision and strategy parameters.

    Anything left out comes from the vendor's business model (`model.core.business_models`).
    """
    fields: dict[str, Any] = {}
    for decision in VENDOR_DECISIONS:
        names = Literal[tuple(POLICIES[decision])]  # type: ignore[valid-type]
        meaning = f"Policy for {decision.replace('_', ' ')} (default: the business model's)."
        fields[decision] = (names | None, Field(None, description=meaning))
    for d in in_scope("vendor", "strategy"):
        meaning = f"{d.meaning} (default: the business model's)"
        fields[d.name] = (float | None, P(None, d.unit, meaning, **_limits(d)))
    doc = "A vendor's strategy: its policies and their parameters."
    return create_model("StrategySpec", __base__=Strict, __doc__=doc, **fields)
