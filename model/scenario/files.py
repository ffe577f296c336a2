"""Reading scenario YAML: safe loading, `extends:` chains and validation with clear errors.

Every problem becomes a `ScenarioError` naming the file, the field and what is allowed,
so the command line can print one message and exit with code 2 instead of a traceback.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from labelmarket.model.scenario.checks import check_references
from labelmarket.model.scenario.overrides import apply_override
from labelmarket.model.scenario.problems import Problem, ScenarioError, from_pydantic
from labelmarket.model.scenario.schema import Scenario

NAMED_LISTS = ("vendors", "clients")


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


def read_with_parents(path: Path, _seen: tuple[Path, ...] = ()) -> dict[str, Any]:
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
    return merge(read_with_parents(parent_path, (*_seen, path)), data)


def load_scenario(path: str | Path, overrides: list[str] | None = None) -> tuple[Scenario, dict]:
    """Read, merge, override and validate a scenario; return it and its resolved mapping."""
    path = Path(path)
    data = read_with_parents(path)
    overridden: dict[str, str] = {}
    for assignment in overrides or []:
        apply_override(data, assignment, f"{path} (--set {assignment})")
        overridden[assignment.partition("=")[0].strip()] = assignment
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        problems = [from_pydantic(str(path), data, err) for err in exc.errors()]
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
