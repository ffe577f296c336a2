"""`python -m labelmarket` runs the command line."""

from labelmarket.cli.main import main

raise SystemExit(main())
