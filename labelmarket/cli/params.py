"""`labelmarket params`: every scenario parameter with its unit, default and meaning."""

from __future__ import annotations

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from labelmarket.model.scenario.schema import EVENT_TYPES, ClientSpec, MarketParams, VendorSpec


def parameter_rows() -> list[tuple[str, str, str, str]]:
    """(path, unit, default, meaning) for each documented field of the schema."""
    blocks: list[tuple[str, type[BaseModel]]] = [
        ("market", MarketParams),
        ("vendors[]", VendorSpec),
        ("clients[]", ClientSpec),
    ]
    blocks += [
        (f"events[type={e.model_fields['type'].annotation.__args__[0]}]", e) for e in EVENT_TYPES
    ]
    rows = []
    for prefix, model in blocks:
        for name, field in model.model_fields.items():
            if name in ("type", "label", "month") and prefix.startswith("events"):
                continue
            extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
            default = "required" if field.default is PydanticUndefined else repr(field.default)
            rows.append(
                (f"{prefix}.{name}", str(extra.get("unit", "")), default, field.description or "")
            )
    return rows


def print_params() -> None:
    """Print the parameter table."""
    rows = parameter_rows()
    w0 = max(len(r[0]) for r in rows)
    w1 = max(len(r[1]) for r in rows)
    w2 = min(12, max(len(r[2]) for r in rows))
    print(f"{'parameter':<{w0}}  {'unit':<{w1}}  {'default':<{w2}}  meaning")
    for path, unit, default, meaning in rows:
        print(f"{path:<{w0}}  {unit:<{w1}}  {default:<{w2}}  {meaning}")
