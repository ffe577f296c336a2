"""Reading scenario YAML: bounded loading, `extends:` chains and validation with clear errors.

Every problem becomes a `ScenarioError` naming the file, the field and what is allowed,
so the command line can print one message and exit with code 2 instead of a traceback.
No error ever shows a file's content beyond the keys of a file that looks like a scenario.

`extends:` may name only a relative `.yaml`/`.yml` path that resolves (symbolic links
followed) inside the folder of the scenario given on the command line or inside the
bundled `scenarios/` folder; chains are at most `MAX_EXTENDS` files long.
"""

from __future__ import annotations

import copy
import os
import stat
from pathlib import Path, PurePath
from typing import Any

from pydantic import ValidationError

from labelmarket.bundled import scenarios_dir
from labelmarket.model.scenario.checks import check_growth, check_references
from labelmarket.model.scenario.overrides import apply_override
from labelmarket.model.scenario.problems import (
    MAX_SHOWN,
    Problem,
    ScenarioError,
    from_pydantic,
    shorten,
)
from labelmarket.model.scenario.schema import Scenario
from labelmarket.model.scenario.yaml_input import MAX_BYTES, YamlInputError, parse_yaml

NAMED_LISTS = ("vendors", "clients")
MAX_EXTENDS = 16
"""Most files in one `extends:` chain (the shipped scenarios use 2)."""
BUNDLED = scenarios_dir()
"""The shipped scenarios, which any scenario may extend."""
YAML_SUFFIXES = (".yaml", ".yml")


def _text(path: Path, kind: str) -> str:
    """The file's text, if it is a readable UTF-8 file of at most MAX_BYTES."""
    try:
        mode = os.stat(path).st_mode
        if stat.S_ISDIR(mode):
            raise ScenarioError([Problem(str(path), "", f"is a folder, not a {kind} file")])
        if not stat.S_ISREG(mode):
            raise ScenarioError([Problem(str(path), "", f"is not a regular file (a {kind} file)")])
        with open(path, "rb") as f:
            raw = f.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise ScenarioError([Problem(str(path), "", "file not found")]) from None
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise ScenarioError([Problem(str(path), "", f"cannot read file: {reason}")]) from None
    if len(raw) > MAX_BYTES:
        raise ScenarioError(
            [Problem(str(path), "", f"is larger than {MAX_BYTES:,} bytes; a {kind} file is small")]
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        message = f"cannot read file: not UTF-8 text (byte {exc.start + 1})"
        raise ScenarioError([Problem(str(path), "", message)]) from None


def read_yaml(path: Path, kind: str = "scenario") -> dict[str, Any]:
    """Load one YAML mapping within bounds, turning every failure into a ScenarioError."""
    try:
        data = parse_yaml(_text(path, kind))
    except YamlInputError as exc:
        raise ScenarioError([Problem(str(path), exc.where, exc.message)]) from None
    if not isinstance(data, dict):
        raise ScenarioError([Problem(str(path), "", f"a {kind} must be a YAML mapping of fields")])
    return data


def check_looks_like(path: Path, data: dict, fields: set[str], kind: str) -> None:
    """Refuse, without listing its keys, a mapping that has none of the fields of a `kind`."""
    if data and not any(isinstance(k, str) and k in fields for k in data):
        raise ScenarioError(
            [
                Problem(
                    str(path), "", f"does not look like a {kind} file: none of its {len(data):,} "
                    f"top-level keys is a {kind} field ({', '.join(sorted(fields))})",
                )
            ]
        )  # fmt: skip


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
    """True for a list of mappings that all carry a `name` (text: anything else is left to
    the schema, which says what is wrong with it)."""
    return isinstance(items, list) and all(
        isinstance(i, dict) and isinstance(i.get("name"), str) for i in items
    )


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


def roots_of(path: Path) -> tuple[Path, ...]:
    """The folders a file given on the command line may name scenarios in: its own, bundled."""
    try:
        folder = path.resolve().parent
    except (OSError, RuntimeError, ValueError):
        folder = path.parent
    return tuple(dict.fromkeys(r for r in (folder, BUNDLED) if r.is_dir()))


def allowed_path(
    child: Path, target: Any, roots: tuple[Path, ...], field: str, must_exist: bool = True
) -> Path:
    """The scenario file `field: target` (written in `child`) names, if the policy allows it."""

    def refuse(message: str) -> ScenarioError:
        return ScenarioError([Problem(str(child), field, message)])

    if not isinstance(target, str) or not target.strip():
        raise refuse("must be a path to a scenario file")
    shown = shorten(target, 80)
    if PurePath(target).is_absolute() or target.startswith("~"):
        raise refuse(f"'{shown}' is absolute; give a path relative to {child.parent}")
    try:  # a name too long for the file system fails here, on `exists`
        candidate = _bundled_by_name(child.parent, target)
        resolved = candidate.resolve()
    except (OSError, RuntimeError, ValueError):
        raise refuse(
            f"'{shown}' cannot be resolved (a name too long, a path it cannot search)"
        ) from None
    if candidate.suffix.lower() not in YAML_SUFFIXES or resolved.suffix.lower() not in (
        YAML_SUFFIXES
    ):
        raise refuse(f"'{shown}' is not a .yaml or .yml file")
    if not any(resolved.is_relative_to(root) for root in roots):
        folders = " or ".join(str(r) for r in roots)
        raise refuse(f"'{shown}' is outside the folders a scenario may extend from ({folders})")
    try:
        found = resolved.is_file()
    except OSError as exc:  # a name too long for the file system, a path it cannot search
        raise refuse(f"'{shown}' cannot be read ({exc.strerror})") from None
    if must_exist and not found:
        raise refuse(f"parent scenario '{shown}' not found ({shorten(str(candidate), 120)})")
    return resolved


def _bundled_by_name(folder: Path, target: str) -> Path:
    """`folder/target`; a bare name that is not there (`historical`, `historical.yaml`) is
    the bundled scenario of that name, so a file anywhere can extend a bundled one."""
    if "/" in target or "\\" in target:
        return folder / target
    name = target if PurePath(target).suffix.lower() in YAML_SUFFIXES else f"{target}.yaml"
    for candidate in (folder / name, BUNDLED / name):
        if candidate.exists():
            return candidate
    return folder / target


def may_extend(folder: Path, target: Path) -> bool:
    """Whether a scenario in `folder` (given on the command line) may extend `target`."""
    resolved = target.resolve()
    roots = (folder.resolve(), BUNDLED)
    ok_suffix = resolved.suffix.lower() in YAML_SUFFIXES
    return ok_suffix and any(resolved.is_relative_to(root) for root in roots)


def read_with_parents(path: Path) -> dict[str, Any]:
    """Read a scenario and everything it `extends`, parents first, into one mapping."""
    fields = set(Scenario.model_fields) | {"extends"}
    try:
        current = path.resolve() if path.exists() else path
    except (OSError, RuntimeError, ValueError):
        current = path
    roots = roots_of(path)
    chain: list[Path] = []
    layers: list[dict[str, Any]] = []
    while True:
        if current in chain:
            cycle = " -> ".join(str(p) for p in (*chain, current))
            raise ScenarioError([Problem(str(current), "extends", f"circular extends: {cycle}")])
        if len(chain) == MAX_EXTENDS:
            raise ScenarioError(
                [Problem(str(chain[0]), "extends", f"a chain of more than {MAX_EXTENDS} files")]
            )
        shown = current if chain else path  # the top-level file as the user named it
        data = read_yaml(shown)
        check_looks_like(shown, data, fields, "scenario")
        chain.append(current)
        parent = data.pop("extends", None)
        layers.append(data)
        if parent is None:
            break
        current = allowed_path(shown, parent, roots, "extends")
    merged = layers.pop()
    while layers:
        merged = merge(merged, layers.pop())
    return merged


def read_scenario(
    path: Path, overrides: list[str] | None = None, label: str | None = None
) -> Scenario:
    """Read a scenario file and its parents, apply `path=value` overrides, validate it
    (`label`: how messages name the file: its path, or a bundled scenario's name)."""
    return validated(read_with_parents(path), path, overrides or [], label)


def validated(
    data: dict[str, Any], path: Path, overrides: list[str], label: str | None = None
) -> Scenario:
    """Apply the overrides to a scenario mapping (read from `path`) and validate the result."""
    label = label or str(path)
    overridden: dict[str, str] = {}
    for assignment in overrides:
        apply_override(data, assignment, f"{label} (`overrides=` {shorten(assignment, 80)})")
        overridden[assignment.partition("=")[0].strip()] = shorten(assignment, 80)
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)[:MAX_SHOWN]
        problems = [from_pydantic(label, data, err) for err in errors]
        blamed = [_blame_override(p, overridden) for p in problems]
        raise ScenarioError(blamed, exc.error_count()) from None
    found = check_references(scenario) + check_growth(scenario)
    problems = [Problem(label, f, m) for f, m in found]
    if problems:
        raise ScenarioError(problems)
    return scenario.read_from(path, tuple(overrides))


def _blame_override(problem: Problem, overridden: dict[str, str]) -> Problem:
    """Point a problem at the override that caused it, when one did."""
    dotted = problem.field.replace("[", ".").replace("]", "")
    for path, assignment in overridden.items():
        if dotted == path or dotted.startswith(path + "."):
            return Problem(
                f"{problem.file} (`overrides=` {assignment})", problem.field, problem.message
            )
    return problem
