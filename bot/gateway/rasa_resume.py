"""Giving a conversation back to the bot when an agent resolves it, then asking for a rating.

Rasa's tracker was paused by the handoff (`ConversationPaused`), so the gateway appends a
`resume` event through Rasa's HTTP API. With `gateway.csat_intent` set (e.g.
`EXTERNAL_csat_request`, answered in the domain by `utter_ask_csat`), the bot asks for the rating
through `trigger_intent`; otherwise, or when Rasa cannot, the gateway asks itself. Either way the
router stores the customer's 1–5 answer.
"""
from __future__ import annotations

import logging

from bot.gateway.models import Agent, Conversation
from bot.gateway.rasa_client import RasaUnavailable
from bot.gateway.router import REPLY_KEYS, Router

logger = logging.getLogger("kefu.gateway.resume")

CSAT_QUESTION = "本次服务已结束，感谢您的耐心。请为{agent}的服务打分：回复 1–5（5 = 非常满意）。"


async def resolve_and_resume(router: Router, agent: Agent, conversation: Conversation) -> None:
    handoff = router.queue.resolve(agent, conversation.id)
    current = router.store.conversation(conversation.id) or conversation
    await router.hub.to_customer(conversation.id, {"type": "mode", "mode": "bot"})
    await router.hub.to_consoles({"type": "resolved", "conversation": conversation.id}, everyone=True)
    asked = False
    try:
        await router.rasa.resume(conversation.bot_sender)
        if router.settings.csat_intent:
            for reply in await router.rasa.trigger_intent(conversation.bot_sender, router.settings.csat_intent):
                kept = {key: reply[key] for key in REPLY_KEYS if reply.get(key) is not None}
                if kept:
                    await router.say(current, "bot", kept.get("text"),
                                     {k: v for k, v in kept.items() if k != "text"} or None)
                    asked = True
    except RasaUnavailable as error:
        logger.warning("could not resume the bot for %s: %s", conversation.id, error)
        router.store.audit("system", "resume_failed", conversation.id, str(error)[:500])
    if not asked:
        await router.say(current, "system", CSAT_QUESTION.format(agent=agent.display_name),
                         {"csat_request": True, "handoff": handoff.id})
