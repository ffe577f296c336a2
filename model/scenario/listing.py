"""Every documented field a scenario may set, as rows: path, unit, default and meaning.

Derived from the schema, itself derived from the parameter declarations and the event
modules, so `labelmarket params` never lists a field the schema would refuse.
"""

from __future__ import annotations

import math
from typing import Any

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


BLOCKS = {  # a declaration's prefix -> (the list it names items of, the path users type)
    "vendors[]": ("vendors", "vendors.{}"),
    "vendors[].strategy": ("vendors", "vendors.{}.strategy"),
    "clients[]": ("clients", "clients.{}"),
}
PLACEHOLDER = {"vendors": "<vendor>", "clients": "<client>", "events": "<n>"}


def override_rows(resolved: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Every field as the override path a user types, with its unit, value, range, meaning.

    Without a scenario, items are placeholders (`clients.<client>.conflict_sensitivity`)
    and values the defaults; with one (its `resolved` mapping), one row per vendor,
    client and event it has (`clients.Google.conflict_sensitivity`) with its value, a
    strategy parameter it leaves out showing its business model's. A tier pair is two
    rows (`vendors.Scale AI.price.expert`).
    """
    rows = []
    for declared, field, default in _fields():
        extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
        unit, meaning = str(extra.get("unit", "")), field.description or ""
        prefix, name = declared.rsplit(".", 1)
        if not prefix.endswith("strategy"):  # the default itself, not its text
            default = "required" if field.is_required() else field.get_default()
        for path, value in _concrete(prefix, name, default, resolved):
            tiers = inner_model(field.annotation)
            pairs = tiers is not None and "generalist" in tiers.model_fields
            pairs = pairs and (value is not None or resolved is None)  # a pair left out: one row
            if pairs:
                keys = ("generalist", "expert")
            elif isinstance(value, dict):  # a mapping by name (a client's current vendors)
                keys = tuple(value) if resolved is not None else ("<vendor>",)
            else:
                keys = (None,)
            for key in keys:
                shown = value.get(key) if isinstance(value, dict) and key else value
                if pairs and not isinstance(value, dict) and resolved is None:
                    shown = _tier_default(field, key)
                rows.append({
                    "path": f"{path}.{key}" if key else path, "unit": unit, "value": shown,
                    "allowed": allowed(field), "meaning": meaning, "declared": declared,
                })  # fmt: skip
    return rows


def _tier_default(field: FieldInfo, tier: str) -> Any:
    """One tier's default of a tier pair field ("required" when there is none)."""
    if field.is_required():
        return "required"
    return getattr(field.get_default(call_default_factory=True), tier, None)


def _concrete(
    prefix: str, name: str, default: Any, resolved: dict[str, Any] | None
) -> list[tuple[str, Any]]:
    """(path, value) of one declared field: a placeholder path, or each item's own."""
    if prefix == "market":
        value = default if resolved is None else resolved.get("market", {}).get(name)
        return [(f"market.{name}", value)]
    if prefix.startswith("events"):
        kind = prefix.split("=", 1)[1].rstrip("]")
        if resolved is None:
            return [(f"events.<n>.{name} ({kind} events)", default)]
        events = resolved.get("events", [])
        return [(f"events.{i}.{name}", e.get(name)) for i, e in enumerate(events)
                if e.get("type") == kind]  # fmt: skip
    items, pattern = BLOCKS[prefix]
    if resolved is None:
        return [(f"{pattern.format(PLACEHOLDER[items])}.{name}", default)]
    out = []
    for item in resolved.get(items, []):
        block = item.get("strategy") or {} if prefix.endswith("strategy") else item
        value = block.get(name)
        if value is None and prefix.endswith("strategy"):
            value = _model_default(name, str(item.get("model")))
        out.append((f"{pattern.format(item['name'])}.{name}", value))
    return out


def _model_default(name: str, model: str) -> Any:
    """A strategy field's value for a vendor of `model` that leaves it out."""
    found = next((m for m in BUSINESS_MODELS if m.name == model), None)
    if found is None:
        return None
    if name in found.policies:
        return found.policies[name]
    return found.strategy.get(name, BY_NAME[name].default if name in BY_NAME else None)
