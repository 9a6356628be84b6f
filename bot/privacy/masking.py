"""Personal values masked in whole JSON values (messages, handoff summaries, the bot's understanding),
with the shared detector of rasa_plugins/text/pii.py."""
from __future__ import annotations

from typing import Any

from rasa_plugins.text.pii import mask_pii


def masked(value: Any) -> Any:
    """The value with every string in it masked, at any depth; other values unchanged."""
    if isinstance(value, str):
        return mask_pii(value)
    if isinstance(value, list):
        return [masked(item) for item in value]
    if isinstance(value, dict):
        return {key: masked(item) for key, item in value.items()}
    return value
