"""The JSON Schemas of scenario and sweep files, for editors (yaml-language-server) and tools.

Both come from the pydantic schemas the loaders validate with, so an editor checks a file
against the same rules `labelmarket validate` applies. The bundled copies in `scenarios/`
are what the bundled files' `# yaml-language-server: $schema=...` lines point to; a test
keeps them up to date.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from labelmarket.bundled import SCENARIO_SCHEMA, SWEEP_SCHEMA
from labelmarket.errors import UsageError
from labelmarket.model.experiments.sweep_file import SweepSpec
from labelmarket.model.scenario.json_schema import scenario_json_schema

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def sweep_json_schema() -> dict[str, Any]:
    """The JSON Schema of a sweep file (draft 2020-12)."""

    return {"$schema": DIALECT, "$id": SWEEP_SCHEMA, **SweepSpec.model_json_schema()}


def schemas() -> dict[str, dict[str, Any]]:
    """File name -> schema, for scenario files and sweep files."""

    return {SCENARIO_SCHEMA: scenario_json_schema(), SWEEP_SCHEMA: sweep_json_schema()}


def schema_text(schema: dict[str, Any]) -> str:
    """The schema as it is written to disk (stable, so the committed copy can be compared)."""
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def write_schemas(out: Path) -> list[Path]:
    """Write both schemas into `out` (created if needed); return their paths."""

    if out.exists() and not out.is_dir():
        raise UsageError(f"{out}: not a folder; `out=` takes the folder to write the schemas in")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in schemas().items():
        path = out / name
        path.write_text(schema_text(schema), encoding="utf-8")
        written.append(path)
    return written
