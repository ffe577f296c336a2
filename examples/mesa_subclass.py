"""A vendor of your own, the Mesa way: Scale AI never cuts its price.

`Vendor.decide(self, signals)` gives next month's price, pay and expert push by the
vendor's policies; a subclass calls it, changes what it wants with `._replace(...)` and is
handed to the Mesa model as `vendor_class=`. Here every vendor keeps its price from falling;
the same seeds run with the default vendors, and the script prints what changed. Run it
from any folder: `python mesa_subclass.py --seeds 10`.
"""

from __future__ import annotations

import argparse

import numpy as np

from labelmarket.model.drivers.agents import Vendor
from labelmarket.model.drivers.mesa_model import MarketModel


class NeverCutsPrice(Vendor):
    """Follows its policies, except that next month's price is never below this month's."""

    def decide(self, signals):
        """The policies' decision, its price floored at today's."""
        decided = super().decide(signals)
        return decided._replace(price=np.maximum(decided.price, self.price))


def scale_ai(seed: int, vendor_class: type[Vendor] = Vendor) -> tuple[float, float]:
    """Scale AI's expert price ($ / task-hour) and revenue ($ / month) in the last month."""
    model = MarketModel("historical", rng=seed, vendor_class=vendor_class)
    while model.running:
        model.step()
    scale = next(v for v in model.vendors if v.name == "Scale AI")
    return float(scale.price[1]), float(scale.revenue)


def main(argv: list[str] | None = None) -> int:
    """Run both kinds of vendor on the same seeds; print Scale AI's price and revenue."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=4, help="replicates (one seed each)")
    args = parser.parse_args(argv)

    default = np.array([scale_ai(seed) for seed in range(args.seeds)])
    firm = np.array([scale_ai(seed, NeverCutsPrice) for seed in range(args.seeds)])
    print(f"Scale AI at the end of 2026, median of {args.seeds} seeds:")
    for label, found in (("its policies", default), ("never cutting its price", firm)):
        price, revenue = np.median(found, axis=0)
        print(
            f"  {label:<24} expert price ${price:,.0f} / task-hour, "
            f"revenue ${revenue / 1e6:,.0f}M / month"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
