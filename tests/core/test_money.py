"""Money binds (model.core.finance): short of cash a vendor raises money at its valuation,
or cuts overhead, and after `exit_months` with negative cash it exits; each move is
recorded with its reason, in the history and in the decisions table."""

from __future__ import annotations

import numpy as np

from labelmarket.model.core.finance import CUT_COSTS, EXITED, RAISED_MONEY
from labelmarket.model.drivers.batched import run_batch
from labelmarket.model.experiments.claims import defection_causes, scenario_world
from labelmarket.model.results.decisions import decisions
from tests.support import NO_DEAL

COSTLY = ["vendors.Mercor.overhead=4e7", "vendors.Mercor.cash=5e7"]  # costs 3x its revenue


def costly(*sets: str):
    """no_deal with Mercor losing money from the start, and its run."""
    world = scenario_world(NO_DEAL, sets=[*COSTLY, *sets])
    return world, run_batch(world, [1, 2])


def test_a_vendor_investors_fund_raises_money_at_its_valuation() -> None:
    """Appen with overhead above its revenue (a quarter of it lost a month) raises money
    when cash runs short, at most a quarter of its valuation; the table lists each raise."""
    world = scenario_world(NO_DEAL, sets=["vendors.Appen.overhead=3e7"])
    result = run_batch(world, [1, 2])
    v = world.vendors.index("Appen")
    h = result.history
    raised = h["money_reason"][:, :, v] == RAISED_MONEY
    assert raised.any(axis=0).all()
    assert (h["funding"][:, :, v][raised] > 0).all()
    assert (h["funding"][:, :, v][raised] <= 0.25 * h["valuation"][:, :, v][raised] + 1).all()
    assert (h["active"][-1, :, v]).all()  # funded, it stays in business
    table = decisions(result, world, "2024-01")
    assert (table["decision"] == "funding").sum() == raised.sum()


def test_a_vendor_that_loses_money_restructures_instead_of_living_on_investors() -> None:
    """Nine quiet years of Appen with overhead above its revenue: investors fund it once,
    it cuts overhead while it lives on their money and the cuts stick, so it ends about
    at break-even instead of raising money every year and a half to cover the same loss."""
    world = scenario_world(NO_DEAL, sets=["vendors.Appen.overhead=3e7"], keep_events=[],
                           end="2032-12")  # fmt: skip
    h = run_batch(world, np.arange(1, 7)).history
    v = world.vendors.index("Appen")
    reasons = h["money_reason"][:, :, v]
    assert ((reasons == RAISED_MONEY).sum(axis=0) == 1).all()
    assert ((reasons == CUT_COSTS).sum(axis=0) >= 12).all()
    assert (h["overhead"][-1, :, v] < 0.5 * h["overhead"][0, :, v]).all()
    revenue = h["revenue"][-12:, :, v].sum(axis=0)
    margin = (revenue - h["costs"][-12:, :, v].sum(axis=0)) / revenue
    assert (np.abs(margin) < 0.03).all()  # it started losing a quarter of its revenue
    assert h["active"][-1, :, v].all()


def test_a_vendor_nobody_funds_cuts_then_exits_and_its_clients_move() -> None:
    """Without investors it cuts overhead every month, exits after six months of negative
    cash; its workers and contracts are gone, and its clients' moves are the exit's."""
    world, result = costly("market.max_dilution=0")
    v = world.vendors.index("Mercor")
    h = result.history
    reasons = h["money_reason"][:, :, v]
    assert (reasons[:3] == CUT_COSTS).all()
    exit_month = np.argmax(reasons == EXITED, axis=0)
    negative = [(h["cash"][: t + 1, r, v] < 0).sum() for r, t in enumerate(exit_month)]
    assert all(n == 6 for n in negative)
    after = exit_month.max() + 1
    assert (h["workforce"][after:, :, v] == 0).all()
    assert (h["spend"][after:, :, :, v] == 0).all()
    assert not h["active"][after:, :, v].any()
    assert set(defection_causes(world, result, "Mercor")) == {"vendor exit"}
    table = decisions(result, world, "2024-01")
    exits = table[table["decision"] == "exit"]
    assert len(exits) == 2 and (exits["reason"] == "exited: cash ran out").all()
    assert (table.loc[table["decision"] == "overhead", "change"] < 0).all()
