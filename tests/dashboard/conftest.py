"""The dashboard's browser tests share the report's Chromium (one per session)."""

from tests.report.conftest import browser  # noqa: F401  (a fixture, used by name)
