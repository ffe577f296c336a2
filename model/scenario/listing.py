"""Every documented field a scenario may set, as rows: path, unit, default and meaning.

Derived from the schema, itself derived from the parameter declarations and the event
modules, so `labelmarket params` never lists a field the schema would refuse.
"""

from __future__ import annotations

import math

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from labelmarket.model.core.business_models import BUSINESS_MODELS
from labelmarket.model.core.parameters import BY_NAME
from labelmarket.model.scenario.events import EVENT_TYPES
from labelmarket.model.scenario.problems import inner_model
from labelmarket.model.scenario.schema import ClientSpec, MarketParams, StrategySpec, VendorSpec


def _model_defaults(name: str) -> str:
    """A strategy field's default per business model: `crowd: 0.3, expert: 0.15`."""
    parts = []
    for m in BUSINESS_MODELS:
        if name in m.policies:
            parts.append(f"{m.name}: {m.policies[name]}")
        elif name in BY_NAME:
            parts.append(f"{m.name}: {m.strategy.get(name, BY_NAME[name].default):g}")
    return ", ".join(parts)


LIMITS = ("ge", "gt", "le", "lt")


def allowed(field: FieldInfo) -> str:
    """The range a number field allows, as `[low, high]` (`(`, `)` for open ends), or ''."""
    limits = {k: getattr(m, k) for m in field.metadata for k in LIMITS if hasattr(m, k)}
    inner = inner_model(field.annotation)
    if not limits and inner is not None and "generalist" in inner.model_fields:
        return allowed(inner.model_fields["generalist"])  # a tier pair: both share limits
    if not limits:
        return ""
    low = f"[{limits['ge']:g}" if "ge" in limits else f"({limits.get('gt', -math.inf):g}"
    high = f"{limits['le']:g}]" if "le" in limits else f"{limits.get('lt', math.inf):g})"
    return f"{low}, {high}"


def _fields() -> list[tuple[str, FieldInfo, str]]:
    """(path, field, default) for each documented field of the schema."""
    blocks: list[tuple[str, type[BaseModel]]] = [
        ("market", MarketParams),
        ("vendors[]", VendorSpec),
        ("vendors[].strategy", StrategySpec),
        ("clients[]", ClientSpec),
    ]
    blocks += [(f"events[type={e.tag()}]", e) for e in EVENT_TYPES]
    found = []
    for prefix, model in blocks:
        for name, field in model.model_fields.items():
            if name in ("type", "label", "month") and prefix.startswith("events"):
                continue
            if name == "strategy":
                continue  # listed field by field below
            default = "required" if field.is_required() else repr(field.default)
            if prefix.endswith("strategy"):
                default = _model_defaults(name)
            found.append((f"{prefix}.{name}", field, default))
    return found


def parameter_rows() -> list[tuple[str, str, str, str]]:
    """(path, unit, default, meaning) for each documented field of the schema."""
    rows = []
    for path, field, default in _fields():
        extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
        rows.append((path, str(extra.get("unit", "")), default, field.description or ""))
    return rows


def allowed_ranges() -> dict[str, str]:
    """Each documented number's allowed range by path, as `labelmarket params` shows it."""
    return {path: allowed(field) for path, field, _ in _fields()}
