"""The scenario's JSON Schema for editors: pydantic's, plus what the loader adds (`extends`).

A scenario that `extends` another only states what it changes: its vendors and clients
merge with the parent's by name, so they need only a `name`, and mappings merge key by
key. The schema says so with `if`/`then`/`else`: with `extends`, vendor, client and tier
blocks have no required fields (beyond a vendor's or client's `name`; market parameters
all have defaults); without it, everything the scenario needs is required. Events are
whole (a child's list replaces the parent's), so they keep every check.
"""

from __future__ import annotations

import copy
from typing import Any

from labelmarket.model.scenario.fields import YEAR_MONTH
from labelmarket.model.scenario.schema import Scenario

DIALECT = "https://json-schema.org/draft/2020-12/schema"
MERGED = ("vendors", "clients")  # lists merged with the parent's by name
PARTIAL = "Partial"  # suffix of the definitions a child scenario uses


def _refs(node: Any) -> set[str]:
    """Names of the definitions a schema node refers to (directly)."""
    if isinstance(node, dict):
        found = {node["$ref"].rsplit("/", 1)[1]} if "$ref" in node else set()
        return found.union(*(_refs(v) for v in node.values()))
    if isinstance(node, list):
        return set().union(*(_refs(v) for v in node))
    return set()


def _mergeable(defs: dict[str, Any], roots: list[str]) -> list[str]:
    """The blocks a child may give in part: the roots and every block they hold."""
    seen: list[str] = []
    todo = list(roots)
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.append(name)
            todo += sorted(_refs(defs[name]))
    return sorted(seen)


def _partial(node: Any, names: list[str]) -> Any:
    """A copy of a block with `required` relaxed to `name` and refs to partial blocks."""
    if isinstance(node, dict):
        out = {k: _partial(v, names) for k, v in node.items()}
        if "$ref" in out and out["$ref"].rsplit("/", 1)[1] in names:
            out["$ref"] += PARTIAL
        if isinstance(node.get("required"), list):
            kept = [r for r in node["required"] if r == "name"]
            out["required"] = kept
            if not kept:
                del out["required"]
        return out
    if isinstance(node, list):
        return [_partial(v, names) for v in node]
    return node


def scenario_json_schema() -> dict[str, Any]:
    """The JSON Schema of a scenario file, `extends` included (draft 2020-12)."""
    schema = Scenario.model_json_schema()
    defs = schema["$defs"]
    props = schema["properties"]
    for month in ("start", "end"):
        props[month]["pattern"] = YEAR_MONTH
    roots = [props[k]["items"]["$ref"].rsplit("/", 1)[1] for k in MERGED]
    names = _mergeable(defs, roots)
    for name in names:
        defs[name + PARTIAL] = _partial(copy.deepcopy(defs[name]), names)
    full = {k: props[k].pop("items") for k in MERGED}
    props["extends"] = {
        "type": "string",
        "description": "Parent scenario file, relative to this one: this file states only "
        "what it changes (mappings merge key by key, vendors and clients by name).",
    }
    required = schema.pop("required")
    schema["if"] = {"required": ["extends"]}
    schema["then"] = {"properties": {k: {"items": _partial(full[k], names)} for k in MERGED}}
    schema["else"] = {"required": required, "properties": {k: {"items": full[k]} for k in MERGED}}
    return {"$schema": DIALECT, "$id": "scenario.schema.json", **schema}
