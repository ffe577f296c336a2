"""`path.to.field=value` overrides (`overrides=`, `--set`), applied before validation."""

from __future__ import annotations

from typing import Any

from labelmarket.model.scenario.problems import Problem, ScenarioError, did_you_mean
from labelmarket.model.scenario.yaml_input import MAX_DEPTH, YamlInputError, parse_yaml


def apply_override(data: dict[str, Any], assignment: str, source: str) -> None:
    """Apply one `path.to.field=value` override (value parsed as YAML) in place."""
    key, sep, raw = assignment.partition("=")
    if not sep or not key.strip():
        raise ScenarioError(
            [Problem(source, assignment, "expected `overrides=` path.to.field=value")]
        )
    try:
        value = parse_yaml(raw)
    except YamlInputError as exc:
        if not exc.malformed:  # an impossible date, nesting too deep ...
            raise ScenarioError([Problem(source, key.strip(), exc.message)]) from None
        value = raw  # not YAML: the text itself
    parts = key.strip().split(".")
    if len(parts) > MAX_DEPTH:
        raise ScenarioError([Problem(source, "", f"a path has at most {MAX_DEPTH} parts")])
    node: Any = data
    for i, part in enumerate(parts[:-1]):
        here = ".".join(parts[: i + 1])
        if isinstance(node, list):
            node = _pick(node, part, source, here)
        elif isinstance(node, dict):
            node = node.setdefault(part, {})
        else:
            raise ScenarioError([Problem(source, here, "is a value, not a group of fields")])
    last = parts[-1]
    if isinstance(node, list):
        raise ScenarioError([Problem(source, key, "name an item of the list, then a field")])
    if not isinstance(node, dict):
        where = ".".join(parts[:-1])
        raise ScenarioError([Problem(source, where, "is a value, not a group of fields")])
    node[last] = value


def _pick(items: list, part: str, source: str, here: str) -> Any:
    """Find a list item by name (vendors, clients) or by position (events)."""
    for item in items:
        if isinstance(item, dict) and item.get("name") == part:
            return item
    if part.isdigit() and int(part) < len(items):
        return items[int(part)]
    names = [str(i.get("name")) for i in items if isinstance(i, dict) and "name" in i]
    hint = did_you_mean(part, names) or ";"
    allowed = ", ".join(names) if names else f"an index below {len(items)}"
    raise ScenarioError([Problem(source, here, f"no item '{part}'{hint} allowed: {allowed}")])
