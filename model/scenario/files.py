"""Reading scenario YAML: safe loading, `extends:`, `--set` overrides and clear errors.

Every problem becomes a `ScenarioError` naming the file, the field and what is allowed,
so the command line can print one message and exit with code 2 instead of a traceback.
"""

from __future__ import annotations

import copy
import difflib
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from labelmarket.model.scenario.checks import check_references
from labelmarket.model.scenario.schema import EVENT_TYPES, Scenario
from pydantic import BaseModel, ValidationError

NAMED_LISTS = ("vendors", "clients")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a scenario: where it is and what is allowed."""

    file: str
    field: str
    message: str

    def __str__(self) -> str:
        """Render as `file: field: message`."""
        return (
            f"{self.file}: {self.field}: {self.message}"
            if self.field
            else f"{self.file}: {self.message}"
        )


class ScenarioError(Exception):
    """A scenario that cannot be used, with every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class _UniqueKeyLoader(yaml.SafeLoader):
    """Safe loader that refuses a key given twice (the second would silently win)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        """Build a mapping, failing on a repeated key."""
        seen: set = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"key '{key}' appears twice", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def read_yaml(path: Path) -> dict[str, Any]:
    """Load one YAML mapping safely, turning every failure into a ScenarioError."""
    if path.is_dir():
        raise ScenarioError([Problem(str(path), "", "is a folder, not a scenario file")])
    if not path.is_file():
        raise ScenarioError([Problem(str(path), "", "file not found")])
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "YAML"
        what = getattr(exc, "problem", None) or str(exc)
        raise ScenarioError([Problem(str(path), where, f"malformed YAML: {what}")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError([Problem(str(path), "", f"cannot read file: {exc}")]) from None
    if not isinstance(data, dict):
        raise ScenarioError([Problem(str(path), "", "a scenario must be a YAML mapping of fields")])
    return data


def merge(base: Any, child: Any) -> Any:
    """Deep-merge `child` over `base`: mappings key by key, vendor/client lists by name."""
    if isinstance(base, dict) and isinstance(child, dict):
        out = copy.deepcopy(base)
        for key, value in child.items():
            if key in out and key in NAMED_LISTS and _named(out[key]) and _named(value):
                out[key] = _merge_named(out[key], value)
            else:
                out[key] = merge(out[key], value) if key in out else copy.deepcopy(value)
        return out
    return copy.deepcopy(child)


def _named(items: Any) -> bool:
    """True for a list of mappings that all carry a `name`."""
    return isinstance(items, list) and all(isinstance(i, dict) and "name" in i for i in items)


def _merge_named(base: list[dict], child: list[dict]) -> list[dict]:
    """Merge two named lists: same name merges, new names are appended in order."""
    out = [copy.deepcopy(b) for b in base]
    index = {b["name"]: i for i, b in enumerate(out)}
    for item in child:
        if item["name"] in index:
            out[index[item["name"]]] = merge(out[index[item["name"]]], item)
        else:
            out.append(copy.deepcopy(item))
    return out


def resolve(path: Path, _seen: tuple[Path, ...] = ()) -> dict[str, Any]:
    """Read a scenario and everything it `extends`, parents first, into one mapping."""
    path = path.resolve() if path.exists() else path
    if path in _seen:
        chain = " -> ".join(str(p) for p in (*_seen, path))
        raise ScenarioError([Problem(str(path), "extends", f"circular extends: {chain}")])
    data = read_yaml(path)
    parent = data.pop("extends", None)
    if parent is None:
        return data
    if not isinstance(parent, str):
        raise ScenarioError([Problem(str(path), "extends", "must be a path to a scenario file")])
    parent_path = path.parent / parent
    if not parent_path.is_file():
        raise ScenarioError(
            [Problem(str(path), "extends", f"parent scenario '{parent}' not found ({parent_path})")]
        )
    return merge(resolve(parent_path, (*_seen, path)), data)


def apply_override(data: dict[str, Any], assignment: str, source: str) -> None:
    """Apply one `path.to.field=value` override (value parsed as YAML) in place."""
    key, sep, raw = assignment.partition("=")
    if not sep or not key.strip():
        raise ScenarioError([Problem(source, assignment, "expected --set path.to.field=value")])
    try:
        value = yaml.safe_load(raw)
    except yaml.YAMLError:
        value = raw
    parts = key.strip().split(".")
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
    hint = _suggest(part, names)
    allowed = ", ".join(names) if names else f"an index below {len(items)}"
    raise ScenarioError([Problem(source, here, f"no item '{part}'{hint} allowed: {allowed}")])


def _suggest(word: str, options: list[str]) -> str:
    """`; did you mean 'x'?` for the nearest option, or nothing."""
    near = difflib.get_close_matches(word, options, n=1, cutoff=0.5)
    return f"; did you mean '{near[0]}'?" if near else ";"


def load_scenario(path: str | Path, overrides: list[str] | None = None) -> tuple[Scenario, dict]:
    """Read, merge, override and validate a scenario; return it and its resolved mapping."""
    path = Path(path)
    data = resolve(path)
    overridden: dict[str, str] = {}
    for assignment in overrides or []:
        apply_override(data, assignment, f"{path} (--set {assignment})")
        overridden[assignment.partition("=")[0].strip()] = assignment
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        problems = [_problem(str(path), data, err) for err in exc.errors()]
        raise ScenarioError([_blame_override(p, overridden) for p in problems]) from None
    problems = [Problem(str(path), f, m) for f, m in check_references(scenario)]
    if problems:
        raise ScenarioError(problems)
    return scenario, scenario.model_dump(mode="json")


def _blame_override(problem: Problem, overridden: dict[str, str]) -> Problem:
    """Point a problem at the `--set` that caused it, when one did."""
    dotted = problem.field.replace("[", ".").replace("]", "")
    for path, assignment in overridden.items():
        if dotted == path or dotted.startswith(path + "."):
            return Problem(f"{problem.file} (--set {assignment})", problem.field, problem.message)
    return problem


def _problem(file: str, data: dict, err: dict) -> Problem:
    """Turn one pydantic error into a Problem with a readable field path and hint."""
    loc = list(err["loc"])
    field = _field_path(data, loc)
    if err["type"] == "extra_forbidden":
        allowed = sorted(_allowed_fields(loc[:-1], data))
        hint = _suggest(str(loc[-1]), allowed)
        return Problem(file, field, f"unknown field{hint} allowed: {', '.join(allowed)}")
    message = err["msg"]
    if err["type"] == "missing":
        message = "required field is missing"
    elif err["type"] == "string_pattern_mismatch":
        message = f"expected a month as YYYY-MM, got {err.get('input')!r}"
    return Problem(file, field, message)


def _field_path(data: Any, loc: list) -> str:
    """`vendors[Scale AI].quality.expert` from a pydantic location."""
    out, node = "", data
    for part in loc:
        if isinstance(part, int):
            item = node[part] if isinstance(node, list) and part < len(node) else None
            name = item.get("name") if isinstance(item, dict) else None
            out += f"[{name}]" if name else f"[{part}]"
            node = item
        elif isinstance(node, dict) and part in node:
            out, node = (f"{out}.{part}" if out else str(part)), node[part]
        elif part in {c.__name__ for c in EVENT_TYPES} or part in _event_tags():
            continue  # pydantic's union branch name, not a field of the file
        else:
            out, node = (f"{out}.{part}" if out else str(part)), None
    return out


def _event_tags() -> set[str]:
    """The `type:` values events may take."""
    return {typing.get_args(c.model_fields["type"].annotation)[0] for c in EVENT_TYPES}


def _allowed_fields(loc: list, data: dict) -> set[str]:
    """Field names allowed at a location, for 'did you mean' hints."""
    model: type[BaseModel] | None = Scenario
    tags = {typing.get_args(c.model_fields["type"].annotation)[0]: c for c in EVENT_TYPES}
    for part in loc:
        if isinstance(part, int):
            continue
        if part in tags:
            model = tags[part]
            continue
        field = model.model_fields.get(part) if model else None
        model = _inner_model(field.annotation) if field else None
    return set(model.model_fields) if model else set()


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    """The schema block inside an annotation such as `list[VendorSpec]` or `X | None`."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None
