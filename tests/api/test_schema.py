"""JSON Schemas for editors: committed up to date, pointed to by every bundled file, and
agreeing with the loader on what a scenario may say (extends included)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

from labelmarket.api.schema import schema_text, schemas
from tests.support import HISTORICAL, ROOT, SCENARIOS, call_main

BUNDLED = sorted(SCENARIOS.glob("*.yaml"))
SWEEPS = sorted((SCENARIOS / "sweeps").glob("*.yaml"))


class Yaml12Loader(yaml.SafeLoader):
    """Read `14.3e9` as a number, as YAML 1.2 (and so the editor's language server) does."""


Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(\d[\d_]*)?\.?\d+([eE][-+]?\d+)?$"),
    list("-+0123456789."),
)


def base() -> dict:
    """historical.yaml as the editor reads it."""
    return yaml.load(HISTORICAL.read_text(encoding="utf-8"), Loader=Yaml12Loader)


def validator(name: str) -> jsonschema.Draft202012Validator:
    """A validator for the committed schema `name`."""
    schema = json.loads((SCENARIOS / name).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_committed_schemas_are_up_to_date() -> None:
    for name, schema in schemas().items():
        committed = (SCENARIOS / name).read_text(encoding="utf-8")
        assert committed == schema_text(schema), f"run: labelmarket schema --out scenarios ({name})"


@pytest.mark.parametrize("path", BUNDLED + SWEEPS, ids=lambda p: p.stem)
def test_bundled_files_point_to_the_schema_and_pass_it(path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    name = "sweep.schema.json" if path.parent.name == "sweeps" else "scenario.schema.json"
    assert first.startswith("# yaml-language-server: $schema="), first
    assert (path.parent / first.split("=", 1)[1]).resolve() == SCENARIOS / name
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=Yaml12Loader)
    errors = [e.message for e in validator(name).iter_errors(data)]
    assert not errors, errors


def test_the_schema_refuses_what_the_loader_refuses() -> None:
    check = validator("scenario.schema.json")
    assert not list(check.iter_errors(base()))
    typo = base()
    typo["vendors"][0]["prise"] = 1
    assert list(check.iter_errors(typo))
    missing = base()
    del missing["start"]
    assert list(check.iter_errors(missing))
    child = {"extends": "historical.yaml", "name": "x", "clients": [{"name": "Google"}]}
    assert not list(check.iter_errors(child))  # a child states only what it changes
    child["clients"][0]["budget"] = -1
    assert list(check.iter_errors(child))
    child = {"extends": "historical.yaml", "vendors": [{"price": {"expert": 80}}]}
    assert list(check.iter_errors(child))  # merged by name: the name is needed


def test_schema_command_writes_both(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = call_main(["schema", "--out", str(tmp_path / "s")], capsys)
    assert code == 0 and "yaml-language-server" in err  # a hint, not a result: stderr
    for name in ("scenario.schema.json", "sweep.schema.json"):
        assert (tmp_path / "s" / name).read_text() == (ROOT / "scenarios" / name).read_text()
