"""Asking the same thing again is a signal of its own: a customer who sends the same question a third
time in one conversation has not been helped, whatever the words (the playbook's "repeated
unresolved contact"). Two messages are the same question when their character bigrams overlap
mostly (Jaccard >= SAME_QUESTION), after normalisation; very short messages ("好的", "嗯") never count.
"""
from __future__ import annotations

from rasa_plugins.text.normalize import normalize_text

SAME_QUESTION = 0.7
MIN_CHARS = 5
HANDOFF_AT = 3  # the third time the same question is asked


def _bigrams(text: str) -> set[str]:
    squeezed = "".join(ch for ch in normalize_text(text).lower() if ch.isalnum())
    return {squeezed[i:i + 2] for i in range(len(squeezed) - 1)}


def times_asked(text: str, earlier: list[str]) -> int:
    """How many times this question has now been asked: 1 + the earlier messages that ask it too."""
    current = _bigrams(text)
    if len(current) < MIN_CHARS - 1:
        return 1
    same = 0
    for message in earlier:
        other = _bigrams(message)
        if other and len(current & other) / len(current | other) >= SAME_QUESTION:
            same += 1
    return 1 + same
