"""Calibration: corpus facts ledger, targets and parameter fitting for labelmarket."""
