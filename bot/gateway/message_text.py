"""Normalising what customers type before it reaches the bot."""
from __future__ import annotations

import unicodedata

KEPT_CONTROL_CHARACTERS = {"\n", "\t"}


def clean_customer_text(raw: str) -> str:
    """NFC-normalise, drop control and unassigned characters (binary junk), trim whitespace.

    Emoji, HTML and SQL-looking text are kept as typed: they are the customer's words, and
    escaping is the job of whatever displays them.
    """
    normalised = unicodedata.normalize("NFC", raw)
    kept = [
        char for char in normalised
        if char in KEPT_CONTROL_CHARACTERS or unicodedata.category(char) not in {"Cc", "Cs", "Co", "Cn"}
    ]
    return "".join(kept).strip()
