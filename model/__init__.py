"""labelmarket's simulation core: market rules on arrays, the Mesa model, scenarios and runs.

Importing this package is cheap on purpose: the heavy pieces (mesa, pandas, matplotlib)
are imported by the modules that need them, so the command line starts fast.
"""
