"""How strongly a customer's message is felt, on one scale shared by the bot and the agent desk.

The bot (actions/emotion.py) softens its reply at level 2 and hands off at level 3; during human
service the gateway's live watch (bot/gateway/live_watch.py) shows the same levels to the agent,
suggests the same calming line at level 2 and alerts a supervisor at level 3. The standard library
only: the action server imports this module too.
"""
from __future__ import annotations

from typing import Any

ANGER_HANDOFF_SCORE = 0.6  # 愤怒 at least this sure (P(negative) x P(愤怒 | negative)): red
SOFTEN_CONFIDENCE = 0.6  # negative at least this sure: a calming line
CALM, UPSET, RED = 1, 2, 3
EMPATHY = {
    "不满": "非常抱歉给您带来不好的体验，我来帮您处理。",
    "失望": "很抱歉让您失望了，我会尽力帮您解决。",
    "愤怒": "非常抱歉让您着急了，您的心情我完全理解，我马上帮您处理。",
}


def is_strong_anger(sentiment: dict[str, Any]) -> bool:
    return (sentiment.get("emotion") == "愤怒"
            and float(sentiment.get("emotion_score") or 0.0) >= ANGER_HANDOFF_SCORE)


def is_upset(sentiment: dict[str, Any]) -> bool:
    return sentiment.get("label") == "negative" and float(sentiment.get("confidence") or 0.0) >= SOFTEN_CONFIDENCE


def emotion_level(sentiment: dict[str, Any], risky: bool = False) -> int:
    """RED for strong anger or a risk finding, UPSET for a sure negative, else CALM."""
    if risky or is_strong_anger(sentiment):
        return RED
    return UPSET if is_upset(sentiment) else CALM


def calming_line(sentiment: dict[str, Any]) -> str:
    return EMPATHY.get(sentiment.get("emotion") or "不满", EMPATHY["不满"])
