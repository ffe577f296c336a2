"""model.core.workforce on a hand-computed case: the staff target from last month's hours,
quits replaced, workers poached beyond the supply, hires capped, layoffs beyond the target."""

from __future__ import annotations

import numpy as np
import pytest

from labelmarket.model.core.workforce import staff
from tests.core.arrays import market

TOL = 1e-12
FLOWS = ("quits", "poached", "hires", "layoffs")


def _staffed(active=(True, True)):
    """100 task-hours a worker, normal utilisation 0.75 (vendor 1's experts: 0.01, below
    the floor of 0.05), attrition 5%, poaching 20%, hiring half the gap (vendor 0's experts:
    all of it), layoffs a quarter of the excess, recruiting 20% of the larger pool."""
    m = market(clients=2, vendors=2)
    m.p.market["poaching_rate"] = 0.2
    vp, v = m.p.vendor, m.vendors
    vp["hours_per_worker"], vp["attrition_rate"], vp["layoff_rate"] = 100.0, 0.05, 0.25
    vp["recruiting_capacity"], vp["push_hiring_boost"] = 0.2, 0.5
    v["active"][0] = active
    v["util_normal"][0] = [[0.75, 0.75], [0.75, 0.01]]
    v["hiring_rate"][0] = [[0.5, 1.0], [0.5, 0.5]]
    v["recruit_base"][0] = [[100.0, 40.0], [100.0, 100.0]]
    v["push"][0] = [0.4, 0.0]
    v["workforce"][0] = [[100.0, 40.0], [200.0, 100.0]]
    v["labour_supply"][0] = [[120.0, 100.0], [150.0, 100.0]]
    v["requested_hours"][0] = [[9000.0, 3000.0], [6000.0, 500.0]]
    before = v["workforce"][0].copy()
    staff(m.p, m.vendors, 0, m.month)
    return before, m.vendors[0], m.month.vendors[0]


def test_staffing_flows_follow_last_months_hours_and_the_labour_supply() -> None:
    """T = hours / (hours per worker x normal utilisation) (experts x (1 + boost x push));
    quits = 5% W; poached = 20% (W - quits - L)+; hires = min(replaced quits + rate x rest
    of the gap to min(T, L), cap); layoffs = 25% (stay - T)+."""
    _, vendors, rows = _staffed()
    # vendor 0 generalists: T 120, quits 5, stay 95, gap 25: hires 5 + 0.5 x 20 = 15
    # vendor 0 experts: T 40 x 1.2 = 48, quits 2, gap 10, hires 2 + 8 capped at 0.2 x 40
    # vendor 1 generalists: T 80, quits 10, poached 0.2 x 40, stay 182, layoffs 0.25 x 102
    # vendor 1 experts: T 500 / (100 x 0.05) = 100, quits 5 replaced
    assert rows["staff_target"] == pytest.approx(np.array([[120.0, 48.0], [80.0, 100.0]]), rel=TOL)
    assert rows["quits"] == pytest.approx(np.array([[5.0, 2.0], [10.0, 5.0]]), rel=TOL)
    assert rows["poached"] == pytest.approx(np.array([[0.0, 0.0], [8.0, 0.0]]), abs=TOL)
    assert rows["hires"] == pytest.approx(np.array([[15.0, 8.0], [0.0, 5.0]]), abs=TOL)
    assert rows["layoffs"] == pytest.approx(np.array([[0.0, 0.0], [25.5, 0.0]]), abs=TOL)
    assert vendors["workforce"] == pytest.approx(np.array([[110.0, 46.0], [156.5, 100.0]]), rel=TOL)
    assert rows["labour_supply"] == pytest.approx(vendors["labour_supply"], rel=TOL)


def test_every_change_of_a_workforce_is_a_recorded_flow() -> None:
    """W' = W - quits - poached + hires - layoffs, for every vendor and tier."""
    before, vendors, rows = _staffed()
    flows = before - rows["quits"] - rows["poached"] + rows["hires"] - rows["layoffs"]
    assert vendors["workforce"] == pytest.approx(flows, rel=TOL)


def test_a_vendor_out_of_business_keeps_its_pool_and_records_no_flow() -> None:
    """Inactive: workforce unchanged, every flow 0 (its staff target is still recorded)."""
    before, vendors, rows = _staffed(active=(True, False))
    assert vendors["workforce"][1] == pytest.approx(before[1], rel=TOL)
    assert np.all([rows[flow][1] == 0.0 for flow in FLOWS])
    assert rows["staff_target"][1] == pytest.approx([80.0, 100.0], rel=TOL)
