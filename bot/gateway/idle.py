"""Idle sessions: a friendly reminder after `idle_reminder_minutes` without interaction, and the
session closes after `idle_close_minutes` (the playbook's 30). A customer who comes back gets a new
session linked to this one (`previous_id`), so the widget and the agent see the history.

Queued conversations are left alone: the customer is waiting for a person (or left a message),
and closing would drop the handoff.
"""
from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from bot.gateway.followup import send_due_followups
from bot.gateway.models import utcnow
from bot.gateway.rasa_client import RasaUnavailable
from bot.gateway.services import Services

logger = logging.getLogger("kefu.gateway.idle")

REMINDER_TEXT = "您还在吗？如果还有问题，直接回复就可以；长时间没有消息，本次会话会自动结束。"
CLOSED_TEXT = "由于长时间没有消息，本次会话已结束。有新问题随时找我，之前的记录都会保留。"


async def sweep_idle(services: Services) -> tuple[int, int]:
    """One pass: returns (reminded, closed)."""
    settings = services.config.gateway
    now = utcnow()
    reminded = closed = 0
    for conversation in services.store.conversations_in_mode("bot", "human"):
        idle = now - conversation.last_activity_at
        if idle >= timedelta(minutes=settings.idle_close_minutes):
            await services.router.say(conversation, "system", CLOSED_TEXT, {"closed": True})
            if services.store.set_mode(conversation.id, "closed", expected=(conversation.mode,)):
                closed += 1
                services.store.audit("system", "closed_idle", conversation.id)
                await services.hub.to_customer(conversation.id, {"type": "mode", "mode": "closed"})
                if conversation.mode == "human":
                    await _release(services, conversation.id, conversation.bot_sender)
        elif idle >= timedelta(minutes=settings.idle_reminder_minutes) and not conversation.reminded:
            await services.router.say(conversation, "system", REMINDER_TEXT, {"reminder": True})
            services.store.update_conversation(conversation.id, reminded=True)
            reminded += 1
    return reminded, closed


async def _release(services: Services, conversation_id: str, sender: str) -> None:
    """A human conversation that went idle: end its handoff and un-pause the bot for next time."""
    services.queue.close_open_handoff(conversation_id)
    try:
        await services.rasa.resume(sender)
    except RasaUnavailable as error:
        logger.warning("could not resume the bot for %s: %s", conversation_id, error)


async def run_idle_sweeper(services: Services) -> None:
    while True:
        await asyncio.sleep(services.config.gateway.idle_check_seconds)
        try:
            await sweep_idle(services)
        except Exception:  # a bad pass must not stop the sweeper for good
            logger.exception("idle sweep failed")
        try:
            await send_due_followups(services.router)
        except Exception:  # noqa: BLE001 - the same: the next pass tries again
            logger.exception("follow-up pass failed")
