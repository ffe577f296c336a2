"""Every documented field a scenario may set, as rows: path, unit, default and meaning.

Derived from the schema, itself derived from the parameter declarations and the event
modules, so `labelmarket params` never lists a field the schema would refuse.
"""

from __future__ import annotations

from pydantic import BaseModel

from labelmarket.model.core.business_models import BUSINESS_MODELS
from labelmarket.model.core.parameters import BY_NAME
from labelmarket.model.scenario.events import EVENT_TYPES
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


def parameter_rows() -> list[tuple[str, str, str, str]]:
    """(path, unit, default, meaning) for each documented field of the schema."""
    blocks: list[tuple[str, type[BaseModel]]] = [
        ("market", MarketParams),
        ("vendors[]", VendorSpec),
        ("vendors[].strategy", StrategySpec),
        ("clients[]", ClientSpec),
    ]
    blocks += [(f"events[type={e.tag()}]", e) for e in EVENT_TYPES]
    rows = []
    for prefix, model in blocks:
        for name, field in model.model_fields.items():
            if name in ("type", "label", "month") and prefix.startswith("events"):
                continue
            if name == "strategy":
                continue  # listed field by field below
            extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
            default = "required" if field.is_required() else repr(field.default)
            if prefix.endswith("strategy"):
                default = _model_defaults(name)
            rows.append(
                (f"{prefix}.{name}", str(extra.get("unit", "")), default, field.description or "")
            )
    return rows
