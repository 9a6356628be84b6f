"""Evaluation suites and calibration commands."""
