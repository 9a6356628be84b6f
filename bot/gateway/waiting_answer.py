"""While a customer waits for a person, the bot still answers the questions it can.

Out of hours a queued customer may wait until morning, and in hours for minutes; until now every
message they wrote got only "您的留言已记入工单". A question the knowledge base answers (the same
service, abstain checks and answer gates as a conversation with the bot: bot/gateway/suggestions.py)
is answered at once, cited, and says that a person still follows; the message stays in the queue or
ticket for the agent as before. Only question-shaped messages are answered (a description for the
agent, "快点", an order number are not), and never in a conversation handed off for a risk: a
danger, a threat or an account attack is a person's to answer.
"""
from __future__ import annotations

import asyncio
import logging
import re
from typing import Any

from bot.gateway.suggestions import Suggester

logger = logging.getLogger("kefu.gateway.waiting_answer")
WAITING_PREFIX = "人工客服接入前，小优先回答您："
QUESTION_SHAPE = re.compile(r"[?？吗么呢]|怎么|怎样|如何|多久|多少|几[天点号个]|能不能|可不可以|是否|哪|什么|啥|有没有|"
                            r"\b(how|what|when|where|can|do|does|is)\b", re.IGNORECASE)
MIN_CHARS = 4


def asks_a_question(text: str) -> bool:
    text = (text or "").strip()
    return len(text) >= MIN_CHARS and QUESTION_SHAPE.search(text) is not None


async def answer_while_waiting(suggester: Suggester | None, text: str,
                               handoff_trigger: str | None) -> tuple[str, dict[str, Any]] | None:
    """(text, payload with citations) to say before the queue message, or None to say nothing more."""
    if suggester is None or handoff_trigger == "risk" or not asks_a_question(text):
        return None
    try:
        answer = await asyncio.to_thread(suggester.answer, text)
    except Exception as error:  # noqa: BLE001 - the queue message still goes out; this is a bonus
        logger.warning("no answer while waiting: %s", error)
        return None
    if answer is None or answer.abstained or not answer.citations:
        return None
    citations = [{"title": c.title, "source": c.source, "link": c.link, "doc_id": c.doc_id} for c in answer.citations]
    return f"{WAITING_PREFIX}{answer.text}", {"custom": {"citations": citations}, "while_waiting": True}
