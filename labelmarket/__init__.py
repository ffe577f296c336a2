"""labelmarket's command line: run, validate and explain scenarios of the labelling market."""

__version__ = "0.1.0"
