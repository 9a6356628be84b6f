"""Tests for bot.models: the offline e5 build."""
