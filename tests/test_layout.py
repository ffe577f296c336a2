"""The house rules a newcomer can rely on: small modules, short functions, one concept each.

No module of the packages is over 300 lines and no function over 60, so every concept can
be read in one sitting (ruff's complexity limits catch tangled ones in CI).
"""

from __future__ import annotations

import ast

import pytest

from tests.support import ROOT

PACKAGES = ("model", "calibration", "labelmarket")
MODULES = sorted(p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=[str(p.relative_to(ROOT)) for p in MODULES])
def test_modules_and_functions_stay_small(path) -> None:
    """At most 300 lines a module and 60 lines a function (docstring included)."""
    text = path.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 300, f"{path.name} has {len(text.splitlines())} lines"
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = node.end_lineno - node.lineno + 1
            assert length <= 60, f"{path.name}:{node.name} has {length} lines"


def test_each_public_function_says_why() -> None:
    """Every public function, method and class of the packages carries a docstring."""
    kinds = ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
    missing = []
    for path in MODULES:
        body = ast.parse(path.read_text(encoding="utf-8")).body
        members = [m for c in body if isinstance(c, ast.ClassDef) for m in c.body]
        for node in body + members:
            public = isinstance(node, kinds) and not node.name.startswith("_")
            if public and not _setter(node) and ast.get_docstring(node) is None:
                missing.append(f"{path.relative_to(ROOT)}:{node.name}")
    assert not missing, missing


def _setter(node: ast.AST) -> bool:
    """A property setter (its getter carries the docstring)."""
    decorators = getattr(node, "decorator_list", [])
    return any(isinstance(d, ast.Attribute) and d.attr == "setter" for d in decorators)


OPTIONAL_EXTRAS = (  # absent from a plain install (pyproject's optional-dependencies)
    "solara",  # viz: the dashboard
    "distributed",  # cluster: --scheduler
    "ema_workbench",  # discovery: PRIM
    "sklearn",  # discovery: CART
)


def test_imports_sit_at_the_top_unless_an_optional_extra() -> None:
    """A module says what it depends on at its top; only an optional extra (absent from a
    plain install) is imported inside the function that needs it."""
    inside = []
    for path in MODULES:
        for fn in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(fn):
                if isinstance(node, ast.Import | ast.ImportFrom):
                    names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
                    top = (getattr(node, "module", None) or names[0]).split(".")[0]
                    if top not in OPTIONAL_EXTRAS:
                        inside.append(f"{path.relative_to(ROOT)}:{node.lineno} imports {top}")
    assert not inside, inside
