"""labelmarket's model and what is made of its runs, one sub-package per layer.

The simulation: `core` (the month's rules on arrays), `scenario` (files, schema, the one
loader), `drivers` (the batched engine, the Mesa model), `execution` (engines, seeds).
Its runs: `results` (the `Run`, tidy tables, folders), `experiments` (sweeps, discovery)
and `charts`. Installed as `labelmarket.model`; in a checkout `labelmarket/model` links here.
"""
