"""Tests for models: the offline e5 build."""
