"""The Python API as a user meets it: a clean `dir(lm)`, docstrings that say what comes
back and show it, type hints a type checker can resolve, and a package marked typed."""

from __future__ import annotations

import inspect
import tomllib
import typing

import pytest

import labelmarket as lm
from tests.support import ROOT

FUNCTIONS = [n for n in lm.__all__ if n != "__version__" and not n[0].isupper()]


def test_dir_shows_the_api_and_nothing_else() -> None:
    assert dir(lm) == sorted(lm.__all__)
    assert not {"Any", "TYPE_CHECKING", "annotations", "importlib"} & set(dir(lm))
    assert {"run", "compare", "sweep", "calibrate", "discover", "evaluate"} <= set(dir(lm))


@pytest.mark.parametrize("name", FUNCTIONS)
def test_each_function_says_what_it_returns_and_shows_it(name: str) -> None:
    doc = inspect.getdoc(getattr(lm, name)) or ""
    assert "Return" in doc, f"lm.{name}: what does it return?"
    assert ">>> " in doc, f"lm.{name}: no example"


@pytest.mark.parametrize("name", [n for n in lm.__all__ if n != "__version__"])
def test_type_hints_resolve(name: str) -> None:
    """Every annotation names something importable (no name kept for type checkers only)."""
    obj = getattr(lm, name)
    hints = typing.get_type_hints(obj.__init__ if inspect.isclass(obj) else obj)
    assert hints or inspect.isclass(obj)


def test_the_package_is_marked_typed() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "py.typed" in config["tool"]["setuptools"]["package-data"]["labelmarket"]
    assert (ROOT / "labelmarket" / "py.typed").is_file()


def test_units_are_in_the_docstrings_of_what_returns_numbers() -> None:
    for name in ("run", "compare", "evaluate"):
        assert "$" in (inspect.getdoc(getattr(lm, name)) or ""), name
