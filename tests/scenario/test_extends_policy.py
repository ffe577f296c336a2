"""Which files `extends:` may read (docs/limits.md), and that no error shows their content.

Allowed: a relative .yaml/.yml path that resolves, symbolic links followed, inside the
folder of the scenario given on the command line or the bundled scenarios/ folder; a chain
of at most 16 files.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from labelmarket.model.scenario.files import MAX_EXTENDS
from labelmarket.model.scenario.loading import load_scenario
from labelmarket.model.scenario.problems import ScenarioError
from tests.support import HISTORICAL, assert_bad_input, call_main

SECRET = "CANARY-1b2c"


@pytest.fixture
def place(tmp_path: Path) -> Path:
    """tmp/in (where scenarios are) and tmp/outside/secret.* (what they must not read)."""
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "secret.yaml").write_text(f"name: x\n{SECRET}: {SECRET}\n")
    (tmp_path / "outside" / "secret").write_text(f"root:{SECRET}:0:0\n")
    (tmp_path / "in").mkdir()
    return tmp_path / "in"


def _refused(path: Path, capsys: pytest.CaptureFixture[str], *words: str) -> None:
    code, out, err = call_main(["validate", str(path)], capsys)
    assert_bad_input(code, err, "extends", *words)
    assert SECRET not in out + err


@pytest.mark.parametrize(
    ("target", "words"),
    [
        ("{outside}/secret.yaml", "is absolute"),
        ("/etc/shadow", "is absolute"),
        ("~/secret.yaml", "is absolute"),
        ("../outside/secret.yaml", "is outside the folders a scenario may extend from"),
        ("../outside/secret", "is not a .yaml or .yml file"),
        ("../../../../../../../etc/passwd", "is not a .yaml or .yml file"),
        ("", "must be a path to a scenario file"),
        ("a" * 4995 + ".yaml", "cannot be resolved (a name too long"),  # was exit 1, echoed
    ],
)
def test_targets_outside_the_rule_are_refused_unread(
    place: Path, capsys: pytest.CaptureFixture[str], target: str, words: str
) -> None:
    child = place / "child.yaml"
    child.write_text(f"extends: '{target.format(outside=place.parent / 'outside')}'\nname: x\n")
    _refused(child, capsys, words)


def test_a_link_out_of_the_folder_is_refused(place: Path, capsys: pytest.CaptureFixture[str]):
    (place / "parent.yaml").symlink_to(place.parent / "outside" / "secret.yaml")
    (place / "device.yaml").symlink_to("/dev/zero")
    for link in ("parent.yaml", "device.yaml"):
        child = place / "child.yaml"
        child.write_text(f"extends: {link}\nname: x\n")
        _refused(child, capsys, link)


def test_a_file_that_is_no_scenario_is_never_listed(
    place: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (place / "notes.yaml").write_text(f"{SECRET}_key: {SECRET}_value\nuser: root\n")
    child = place / "child.yaml"
    child.write_text("extends: notes.yaml\nname: x\n")
    code, out, err = call_main(["validate", str(child)], capsys)
    assert_bad_input(code, err, "notes.yaml", "does not look like a scenario file")
    assert SECRET not in out + err and "user" not in err
    code, out, err = call_main(["validate", str(place / "notes.yaml")], capsys)
    assert_bad_input(code, err, "does not look like a scenario file")
    assert SECRET not in out + err


def test_a_chain_is_at_most_16_files(place: Path) -> None:
    bundled = os.path.relpath(HISTORICAL, place)
    for n in (MAX_EXTENDS - 1, MAX_EXTENDS):  # the chain: top + links + historical.yaml
        for i in range(n - 1):
            target = f"c{i + 1}.yaml" if i < n - 2 else bundled
            (place / f"c{i}.yaml").write_text(f"extends: {target}\n")
        top = place / "top.yaml"
        top.write_text("extends: c0.yaml\nname: chained\n")
        if n + 1 <= MAX_EXTENDS:
            assert load_scenario(top).name == "chained"
        else:
            with pytest.raises(ScenarioError, match=f"a chain of more than {MAX_EXTENDS} files"):
                load_scenario(top)


def test_the_bundled_scenarios_may_be_extended_from_anywhere(place: Path) -> None:
    child = place / "child.yaml"
    child.write_text(f"extends: {os.path.relpath(HISTORICAL, place)}\nname: mine\n")
    scenario = load_scenario(child)
    assert scenario.name == "mine" and scenario.start == "2024-01"


@pytest.mark.parametrize("name", ["[1]", "{a: 1}", "null", "3"])
def test_a_child_whose_items_have_no_text_name_is_reported(place: Path, name: str) -> None:
    """Merging vendors by name once crashed on a name that was a list (unhashable)."""
    child = place / "child.yaml"
    parent = os.path.relpath(HISTORICAL, place)
    child.write_text(f"extends: {parent}\nname: x\nvendors:\n  - name: {name}\n    x: 1\n")
    with pytest.raises(ScenarioError, match="vendors"):
        load_scenario(child)


def test_a_file_anywhere_extends_a_bundled_scenario_by_its_name(tmp_path: Path) -> None:
    """After a plain install, `extends: historical` is the bundled one: no site-packages path
    to write; a file of that name beside it still comes first."""
    child = tmp_path / "mine.yaml"
    child.write_text("extends: historical\nname: mine\nmarket: {founder_exposure: 0.1}\n")
    scenario = load_scenario(child)
    assert scenario.name == "mine" and scenario.market.founder_exposure == 0.1
    assert [v.name for v in scenario.vendors] == [
        v.name for v in load_scenario("historical").vendors
    ]
    (tmp_path / "historical.yaml").write_text("name: local\nstart: 2024-01\nend: 2024-12\n")
    with pytest.raises(ScenarioError):  # the local file, not the bundled one, is extended
        load_scenario(child)
