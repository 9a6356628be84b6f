"""Tests for retrieval.embedders."""
