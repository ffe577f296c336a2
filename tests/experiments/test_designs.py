"""Experimental designs: sizes known in advance, points inside their ranges."""

from __future__ import annotations

import numpy as np

from labelmarket.model.experiments.designs import design_size, design_values, unit_design
from labelmarket.model.experiments.sweep_file import SweepSpec


def test_design_sizes_and_ranges():
    base = {"name": "d", "scenario": "x.yaml", "outcomes": [{"metric": "hhi"}], "seed": 3}
    params = [{"path": "a", "range": [1, 100], "scale": "log"}, {"path": "b", "range": [-2, 2]}]
    for design, points, size in (("lhs", 10, 10), ("sobol", 8, 32), ("morris", 5, 15)):
        spec = SweepSpec.model_validate(
            {**base, "design": design, "points": points, "parameters": params}
        )
        values = design_values(spec)
        assert design_size(spec) == size == len(values)
        assert values[:, 0].min() >= 1 and values[:, 0].max() <= 100
        assert values[:, 1].min() >= -2 and values[:, 1].max() <= 2
        np.testing.assert_array_equal(values, design_values(spec))  # seeded
    lhs = SweepSpec.model_validate({**base, "design": "lhs", "points": 10, "parameters": params})
    strata = np.floor(unit_design(lhs) * 10)
    assert all(sorted(col) == list(range(10)) for col in strata.T)  # one point per stratum
    grid = SweepSpec.model_validate(
        {
            **base,
            "design": "grid",
            "parameters": [{**params[0], "levels": 3}, params[1] | {"levels": 2}],
        }
    )
    np.testing.assert_allclose(design_values(grid)[:, 0], [1, 1, 10, 10, 100, 100])
