"""The gateway's own safety net: risky words hand a conversation to a person even if the bot did not."""
from __future__ import annotations

from typing import Any

from bot.handoff import COMPLAINT, HIGH_PRIORITY, Handoff


def risk_word_in(text: str, risk_words: tuple[str, ...]) -> str | None:
    return next((word for word in risk_words if word and word in text), None)


def risk_handoff(word: str, text: str) -> dict[str, Any]:
    """A handoff payload like the bot's, high priority, routed as a complaint."""
    return Handoff(reason=f"risk_word:{word}", priority=HIGH_PRIORITY, problem_class=COMPLAINT,
                   summary=f"风险词「{word}」；客户原话：「{text[:200]}」").to_payload()
