"""Kefu (客服): a service-bot framework around a Rasa dialogue core.

The `bot` package holds the framework itself: the `kefu` CLI, configuration, the process
supervisor that runs the stack, and the gateway customers and agents talk to.
"""
__version__ = "0.1.0"
