"""Scenario discovery: the parameter regions of a sweep where an outcome condition holds.

A sweep answers "how do outcomes vary"; discovery answers "under which conditions does this
happen". Each run of the sweep is a case, its parameter values the inputs, and a condition on
its outcomes (`revenue_2026[Scale AI] vs baseline < -5e8`) the case of interest. PRIM
(Friedman and Fisher 1999, as used for scenario discovery by Bryant and Lempert 2010; the
EMA Workbench's implementation) peels the parameter space one small slice at a time, keeping
the slice whose removal most raises the density of cases of interest, and records each box
on the way: its coverage (share of all cases of interest inside it) against its density
(share of the cases inside it that are of interest). A box is chosen on that trade-off: the
densest whose coverage is at least `min_coverage`. CART (a shallow decision tree) gives a
second view of the same question as a few readable rules. Analysis only: tables, no drawing.
"""

from __future__ import annotations

import logging
import re
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from labelmarket.errors import UsageError

CART_DEPTH = 3
"""Tree depth: at most three conditions per rule, so each rule reads as one sentence."""


@dataclass
class Discovery:
    """What PRIM and CART found for one condition on one sweep."""

    condition: str
    parameters: list[str]
    cases: int  # runs analysed (failed runs left out)
    hits: int  # runs where the condition holds
    trajectory: pd.DataFrame  # one row per PRIM box: coverage, density, mass, res_dim, n, k
    chosen: int  # row of `trajectory` picked on the coverage/density trade-off
    limits: pd.DataFrame  # per parameter: low, high, range_low, range_high, restricted, qp
    cart: pd.DataFrame  # one row per CART leaf: rule, runs, density, coverage
    settings: dict = field(default_factory=dict)

    @property
    def box(self) -> pd.Series:
        """Coverage, density, mass and restricted dimensions of the chosen box."""
        return self.trajectory.iloc[self.chosen]

    @property
    def base_rate(self) -> float:
        """Share of all runs where the condition holds: the density of the whole space."""
        return self.hits / self.cases


def condition_mask(results: pd.DataFrame, expression: str, outcomes: list[str]) -> pd.Series:
    """Evaluate a condition on outcome columns; names may be written bare or in backticks."""
    names = sorted(outcomes, key=len, reverse=True)
    text = expression
    placeholders = {}
    for i, name in enumerate(names):
        token = f"__outcome_{i}__"
        pattern = re.escape(f"`{name}`") + "|" + _bare(name)
        text, count = re.subn(pattern, token, text)
        if count:
            placeholders[token] = name
    if not placeholders:
        raise UsageError(
            f"`condition=` {expression!r}: names no outcome of this sweep; its outcomes are: "
            + ", ".join(outcomes)
        )
    frame = results[list(placeholders.values())].set_axis(list(placeholders), axis=1)
    try:
        mask = frame.eval(text)
    except Exception as err:  # pandas raises many kinds for a malformed expression
        raise UsageError(
            f"`condition=` {expression!r}: cannot be read ({err}); write a comparison such as "
            f"'{outcomes[0]} < 0', joined with 'and', 'or', 'not'"
        ) from err
    if not isinstance(mask, pd.Series) or mask.dtype != bool:
        raise UsageError(f"`condition=` {expression!r}: is not a true/false condition")
    return mask


def _bare(name: str) -> str:
    """A regex for an outcome name written without backticks, not inside a longer word."""
    return r"(?<![\w`])" + re.escape(name) + r"(?![\w`\[])"


def discover(
    results: pd.DataFrame,
    parameters: list[str],
    expression: str,
    outcomes: list[str],
    min_coverage: float = 0.8,
    peel_alpha: float = 0.05,
) -> Discovery:
    """Run PRIM and CART on the sweep's runs for one outcome condition."""
    ok = results[results["error"].isna()] if "error" in results else results
    ok = ok.reset_index(drop=True)
    y = condition_mask(ok, expression, outcomes).to_numpy()
    if y.all() or not y.any():
        where = "every" if y.all() else "no"
        raise UsageError(
            f"`condition=` {expression!r}: holds in {where} run of the sweep ({len(y)} runs); "
            "there is no region to find"
        )
    x = ok[parameters].astype(float)
    box, trajectory = _prim(x, y, peel_alpha)
    chosen = choose_box(trajectory, min_coverage)
    return Discovery(
        condition=expression,
        parameters=parameters,
        cases=len(y),
        hits=int(y.sum()),
        trajectory=trajectory,
        chosen=chosen,
        limits=box_limits(box, chosen, x),
        cart=cart_rules(x, y),
        settings={"min_coverage": min_coverage, "peel_alpha": peel_alpha, "cart_depth": CART_DEPTH},
    )


def _prim(x: pd.DataFrame, y: np.ndarray, peel_alpha: float):
    """The EMA Workbench's PRIM box and its peeling trajectory.

    Its threshold both marks the cases of interest (y >= threshold) and rejects a final box
    less dense than it; just above 0 the cases are y == 1 and every trajectory is kept, the
    choice on the trade-off being ours (`choose_box`).
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # it warns about optional parallel back-ends
        from ema_workbench.analysis import prim

    logging.getLogger("EMA").setLevel(logging.WARNING)
    with warnings.catch_warnings():
        for kind in (FutureWarning, DeprecationWarning):  # its pandas idioms, not our data
            warnings.simplefilter("ignore", kind)
        algorithm = prim.Prim(x, y.astype(int), threshold=1e-6, peel_alpha=peel_alpha)
        box = algorithm.find_box()
    columns = ["coverage", "density", "mass", "res_dim", "n", "k"]
    trajectory = box.peeling_trajectory[columns].reset_index(drop=True)
    trajectory[["res_dim", "n", "k"]] = trajectory[["res_dim", "n", "k"]].astype(int)
    return box, trajectory


def choose_box(trajectory: pd.DataFrame, min_coverage: float) -> int:
    """The densest box with coverage >= min_coverage (ties: the larger box, seen first)."""
    eligible = trajectory[trajectory["coverage"] >= min_coverage - 1e-12]
    if eligible.empty:
        eligible = trajectory.iloc[:1]
    return int(eligible["density"].idxmax())


def box_limits(box, i: int, x: pd.DataFrame) -> pd.DataFrame:
    """Each parameter's range in box i against its range in the sweep, with quasi-p-values."""
    lims = box.box_lims[i]
    qp = box.qp[i]
    rows = []
    for name in x.columns:
        low, high = float(lims[name].iloc[0]), float(lims[name].iloc[1])
        lo, hi = float(x[name].min()), float(x[name].max())
        q = [v for v in qp.get(name, []) if v is not None and v >= 0]
        rows.append(
            {
                "parameter": name,
                "low": low,
                "high": high,
                "range_low": lo,
                "range_high": hi,
                "restricted": bool(low > lo or high < hi),
                "qp": min(q) if q else np.nan,
            }
        )
    table = pd.DataFrame(rows)
    width = (table["high"] - table["low"]) / (table["range_high"] - table["range_low"])
    table["kept"] = width.fillna(1.0)
    return table.sort_values(["restricted", "kept"], ascending=[False, True]).reset_index(drop=True)


def cart_rules(x: pd.DataFrame, y: np.ndarray) -> pd.DataFrame:
    """A shallow classification tree's leaves as rules, densest first."""
    from sklearn.tree import DecisionTreeClassifier

    leaf_size = max(5, len(y) // 50)
    tree = DecisionTreeClassifier(max_depth=CART_DEPTH, min_samples_leaf=leaf_size, random_state=0)
    tree.fit(x.to_numpy(), y)
    t = tree.tree_
    rules: list[dict] = []

    def walk(node: int, conditions: list[tuple[str, str, float]]) -> None:
        if t.children_left[node] == -1:
            leaf = tree.apply(x.to_numpy()) == node
            rules.append(
                {
                    "rule": _merge(conditions),
                    "runs": int(leaf.sum()),
                    "density": float(y[leaf].mean()),
                    "coverage": float(y[leaf].sum() / y.sum()),
                }
            )
            return
        name, cut = x.columns[t.feature[node]], float(t.threshold[node])
        walk(t.children_left[node], [*conditions, (name, "<=", cut)])
        walk(t.children_right[node], [*conditions, (name, ">", cut)])

    walk(0, [])
    table = pd.DataFrame(rules).sort_values(["density", "runs"], ascending=False)
    return table.reset_index(drop=True)


def _merge(conditions: list[tuple[str, str, float]]) -> list[tuple[str, float, float]]:
    """Conditions on one path as (parameter, low, high) intervals, one per parameter."""
    bounds: dict[str, list[float]] = {}
    for name, op, cut in conditions:
        low, high = bounds.setdefault(name, [-np.inf, np.inf])
        bounds[name] = [low, min(high, cut)] if op == "<=" else [max(low, cut), high]
    return [(name, low, high) for name, (low, high) in bounds.items()]
