"""The session-wide `running_stack` fixture lives in tests/conftest.py (shared with tests/eval/)."""
