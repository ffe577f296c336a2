"""Errors name what the user typed where they typed it: Python arguments from Python,
options from the command line, the bundled scenario's name rather than where it is
installed, the name to give when a checkout's path is not there, and the install line
that matches how labelmarket was installed."""

from __future__ import annotations

import json
import time
from importlib import metadata
from pathlib import Path

import pytest

import labelmarket as lm
from labelmarket import errors
from tests.support import assert_bad_input, call_main

BAD = {"clients.Google.conflict_sensitivity": -5}


def test_a_bad_override_from_python_names_the_argument_and_the_bundled_name() -> None:
    with pytest.raises(lm.InputError) as found:
        lm.load_scenario("historical", BAD)
    message = str(found.value)
    assert "`overrides=` clients.Google.conflict_sensitivity=-5" in message
    assert message.startswith("historical (bundled)")
    assert "--set" not in message and "site-packages" not in message and "/" not in message


def test_the_command_line_says_the_same_in_its_own_words(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = call_main(["validate", "historical", "--set", "clients.Google.x=1"], capsys)
    assert_bad_input(code, err, "historical (bundled) (--set clients.Google.x=1)")
    assert "`" not in err.split("clients.Google.x")[0]


def test_a_folder_in_use_asks_for_force_true_at_once(tmp_path: Path) -> None:
    run = lm.run("historical", replicates=1, seed=1, workers=1)
    (tmp_path / "mine.txt").write_text("kept")
    started = time.perf_counter()
    with pytest.raises(lm.InputError, match="use `force=True`") as found:
        lm.save(run, tmp_path)
    assert time.perf_counter() - started < 0.5  # refused before anything is written
    assert "--force" not in str(found.value)
    assert (tmp_path / "mine.txt").read_text() == "kept"


@pytest.mark.parametrize(
    ("given", "words"),
    [
        ("histrical", "did you mean historical?"),
        ("scenarios/historical.yaml", "labelmarket ships a scenario of that name: give its "
         "name, historical"),
    ],
)  # fmt: skip
def test_names_and_checkout_paths_that_are_not_there_point_to_the_bundled_one(
    given: str, words: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # a folder far from the checkout, as after a plain install
    with pytest.raises(lm.InputError, match=words):
        lm.load_scenario(given)


def test_a_sweep_name_is_matched_among_the_bundled_sweeps(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = call_main(["sweep", "openai_stanc"], capsys)
    assert_bad_input(code, err, "did you mean openai_stance?", "bundled sweep files")


@pytest.mark.parametrize(
    ("direct_url", "line"),
    [
        ({"url": "file:///src/lm", "dir_info": {"editable": True}}, "pip install -e '.[viz]'"),
        ({"url": "file:///tmp/labelmarket-0.1.0-py3-none-any.whl", "archive_info": {}},
         "pip install 'labelmarket[viz]'"),
        (None, "pip install 'labelmarket[viz]'"),  # from an index: no direct_url.json
    ],
)  # fmt: skip
def test_the_install_line_matches_how_labelmarket_was_installed(
    direct_url: dict | None, line: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Installed:
        def read_text(self, name: str) -> str | None:
            return json.dumps(direct_url) if direct_url is not None else None

    monkeypatch.setattr(metadata, "distribution", lambda name: Installed())
    assert errors.install_hint("viz") == line


def test_a_calibration_budget_too_small_is_refused_before_anything_is_written(
    tmp_path: Path,
) -> None:
    """It raised IndexError after creating the folder (a budget of 100 for 150 particles)."""
    with pytest.raises(lm.InputError, match="`budget=`: 100 simulations cannot fit"):
        lm.calibrate(quick=True, budget=100, out=tmp_path / "fit")
    assert not (tmp_path / "fit").exists()
