"""Client switching strategies: how a client's contract book follows what it wants.

`contracts` (the default): each month a share `contract_renewal` of a client's labelling
contracts comes up for renewal (1 / the average contract length) and is placed by the
logit choice; the rest stays with the vendors that hold it. So a client that turns away
from a vendor moves its spend over months, not at once, and a vendor it still values a
little keeps a little (nothing falls to an absorbing zero: the choice never gives a vendor
exactly none). A pause or an exit (an event) cancels contracts at once.
"""

from __future__ import annotations

from typing import Annotated, ClassVar

from labelmarket.model.core.compiled import rule
from labelmarket.model.core.declared import declarations, param
from labelmarket.model.core.strategies.base import Policy

CONTRACTS = 0  # policy code


class Switching:
    """Parameters of the switching policies, per client: (R, C)."""

    contract_renewal: Annotated[
        float,
        param(
            0.25,
            "per month",
            "Share of a client's contracts up for renewal each month (1 / average length).",
            gt=0,
            le=1,
        ),
    ]


PARAMETERS = declarations(Switching, "client")


class ContractRenewal(Policy):
    """A client's contract shares move toward its wanted shares at the renewal rate."""

    decision: ClassVar[str] = "switching"
    name: ClassVar[str] = "contracts"
    code: ClassVar[int] = CONTRACTS
    parameters = PARAMETERS


@rule
def renewed(contracts, wanted, rho, out):
    """Contract shares (per tier) a share `rho` of which moved toward the wanted shares."""
    for k in range(len(contracts)):
        out[k] = (1.0 - rho) * contracts[k] + rho * wanted[k]
