"""`python -m labelmarket` runs the command line."""

from labelmarket.cli import main

raise SystemExit(main())
