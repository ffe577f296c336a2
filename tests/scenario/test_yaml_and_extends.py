"""Malformed YAML, missing files and `extends:` chains: one clear message, exit code 2."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import yaml

from tests.support import (
    HISTORICAL,
    assert_bad_input,
    assert_nothing_written,
    base,
    call_main,
    dump,
    run_cli,
)

# ------------------------------------------------------------------- malformed YAML


def test_malformed_yaml_reports_line_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = yaml.safe_dump(base(), sort_keys=False).splitlines()
    broken = next(i for i, line in enumerate(lines) if line.strip().startswith("stake:"))
    lines[broken] = lines[broken].replace("stake: ", "stake: [", 1)  # unclosed bracket
    path = tmp_path / "broken.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    code, _, err = call_main(["validate", str(path)], capsys)
    assert_bad_input(code, err, "broken.yaml", "malformed YAML")
    match = re.search(r"line (\d+), column (\d+)", err)
    assert match, err
    # the parser notices the unclosed bracket at the next key, a line or two later
    assert broken + 1 <= int(match.group(1)) <= broken + 3, (broken + 1, err)


def test_malformed_yaml_in_subprocess_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("name: x\nvendors: [a, b\nclients: []\n", encoding="utf-8")
    proc = run_cli(["run", "broken.yaml", "--out", "out"], cwd=tmp_path)
    assert_bad_input(proc.returncode, proc.stderr, "broken.yaml", "line 3, column", "malformed")
    assert_nothing_written(tmp_path / "out")


def test_python_tags_are_refused_not_executed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    marker = tmp_path / "pwned"
    path = tmp_path / "evil.yaml"
    path.write_text(f'name: !!python/object/apply:os.system ["touch {marker}"]\n', encoding="utf-8")
    code, _, err = call_main(["validate", str(path)], capsys)
    assert_bad_input(code, err, "evil.yaml", "malformed YAML")
    assert not marker.exists()


def test_empty_file_is_not_a_mapping(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "empty.yaml"
    path.write_text("", encoding="utf-8")
    code, _, err = call_main(["validate", str(path)], capsys)
    assert_bad_input(code, err, "empty.yaml", "must be a YAML mapping")


def test_undecodable_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(b"name: caf\xe9\n")
    code, _, err = call_main(["validate", str(path)], capsys)
    assert_bad_input(code, err, "latin1.yaml", "cannot read file")


def test_duplicate_keys_are_rejected(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = HISTORICAL.read_text(encoding="utf-8") + "\nevents: []\n"
    path = tmp_path / "twice.yaml"
    path.write_text(text, encoding="utf-8")
    code, _, err = call_main(["validate", str(path)], capsys)
    assert_bad_input(code, err, "twice.yaml", "events", "duplicate")


# ---------------------------------------------------------- missing files and extends


def test_missing_scenario_file(tmp_path: Path) -> None:
    proc = run_cli(["run", "nope.yaml", "--out", "out"], cwd=tmp_path)
    assert_bad_input(proc.returncode, proc.stderr, "nope.yaml", "file not found")
    assert_nothing_written(tmp_path / "out")
    proc = run_cli(["validate", "nope.yaml"], cwd=tmp_path)
    assert_bad_input(proc.returncode, proc.stderr, "nope.yaml", "file not found")


def test_a_folder_is_not_a_scenario(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "dir.yaml").mkdir()
    code, _, err = call_main(["validate", str(tmp_path / "dir.yaml")], capsys)
    assert_bad_input(code, err, "dir.yaml")


def test_missing_extends_parent(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    child = tmp_path / "child.yaml"
    child.write_text("extends: missing_parent.yaml\nname: child\n", encoding="utf-8")
    out = tmp_path / "out"
    code, _, err = call_main(["run", str(child), "--out", str(out)], capsys)
    assert_bad_input(code, err, "missing_parent.yaml", "not found")
    assert_nothing_written(out)


def test_missing_extends_parent_names_the_child(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    child = tmp_path / "child.yaml"
    child.write_text("extends: missing_parent.yaml\nname: child\n", encoding="utf-8")
    code, _, err = call_main(["validate", str(child)], capsys)
    assert_bad_input(code, err, "child.yaml", "extends", "missing_parent.yaml")


def test_circular_extends(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("extends: b.yaml\nname: a\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("extends: a.yaml\nname: b\n", encoding="utf-8")
    proc = run_cli(["run", "a.yaml", "--out", "out"], cwd=tmp_path)
    assert_bad_input(
        proc.returncode, proc.stderr, "a.yaml", "b.yaml", "extends", "circular extends"
    )
    assert_nothing_written(tmp_path / "out")


def test_self_extends(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "self.yaml"
    path.write_text("extends: self.yaml\nname: s\n", encoding="utf-8")
    code, _, err = call_main(["validate", str(path)], capsys)
    assert_bad_input(code, err, "self.yaml", "extends", "circular")


def test_extends_must_be_a_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "ext.yaml"
    path.write_text("extends: 3\nname: x\n", encoding="utf-8")
    code, _, err = call_main(["validate", str(path)], capsys)
    assert_bad_input(code, err, "ext.yaml", "extends", "path to a scenario file")


def test_child_errors_name_the_child_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    child = dump(
        tmp_path / "child.yaml",
        {
            "extends": os.path.relpath(HISTORICAL, tmp_path),
            "vendors": [{"name": "Scale AI", "qualty": {}}],
        },
    )
    code, _, err = call_main(["validate", str(child)], capsys)
    assert_bad_input(code, err, "child.yaml", "vendors[Scale AI].qualty", "did you mean 'quality'")
