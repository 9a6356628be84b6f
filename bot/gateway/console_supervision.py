"""Supervision (坐席监控): a live board of every conversation, whispers to the agent serving one, and
taking over any conversation (the bot's, a waiting one, an agent's). Supervisors and admins only;
every action is written to the audit log, and an agent whose conversation is taken is told."""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request

from bot.gateway.console_api import Text, _announce_agent, _refuse, supervisor, visible_conversation
from bot.gateway.models import Agent, utcnow
from bot.gateway.models_desk import Whisper
from bot.gateway.queue import ClaimRefused
from bot.gateway.rasa_client import RasaUnavailable
from bot.gateway.services import services_of
from bot.privacy.masking import masked

router = APIRouter(prefix="/api/console")
BOARD_LIMIT = 500
LAST_TEXT_CHARS = 80


@router.get("/board")
async def board(request: Request, agent: Agent = Depends(supervisor)) -> dict[str, Any]:
    """Every live conversation: mode, group, agent, wait, emotion/risk level and last message."""
    services = services_of(request)
    conversations = services.store.conversations_in_mode("bot", "queued", "human")[:BOARD_LIMIT]
    ids = [c.id for c in conversations]
    signals = services.store.latest_signals(ids)
    last = services.store.last_messages(ids)
    names = {a.id: a.display_name for a in services.store.agents()}
    handoffs = {h.conversation_id: h for h in services.store.open_handoffs(ids)}
    now = utcnow()
    rows = []
    for c in conversations:
        handoff, signal, message = handoffs.get(c.id), signals.get(c.id), last.get(c.id)
        rows.append({
            "conversation": c.id, "sender": c.sender, "account": c.account_id, "mode": c.mode,
            "group": handoff.agent_group if handoff else None, "priority": handoff.priority if handoff else None,
            "agent": names.get(c.assigned_agent_id) if c.assigned_agent_id else None,
            "agent_id": c.assigned_agent_id,
            "waiting_seconds": round((now - handoff.queued_at).total_seconds()) if handoff and c.mode == "queued" else None,
            "level": signal.level if signal else 0, "risk": signal.risk_class if signal else None,
            "emotion": signal.emotion if signal else None,
            "last_message": None if message is None else {
                "role": message.role, "text": (message.text or "")[:LAST_TEXT_CHARS],
                "at": message.created_at.isoformat() + "Z"},
            "last_activity_at": c.last_activity_at.isoformat() + "Z"})
    return {"conversations": masked(rows)}


@router.post("/conversations/{conversation_id}/whisper")
async def whisper(conversation_id: str, body: Text, request: Request, agent: Agent = Depends(supervisor)) -> dict[str, Any]:
    """A note only the agent serving the conversation (and supervisors) sees; never the customer."""
    services = services_of(request)
    conversation = visible_conversation(services, agent, conversation_id)
    if conversation.mode != "human" or conversation.assigned_agent_id is None:
        raise _refuse(409, "nobody_to_whisper_to", "这个会话现在没有客服在接待，无法发送悄悄话。")
    saved = services.store.add_whisper(Whisper(conversation_id=conversation_id, from_agent_id=agent.id,
                                               to_agent_id=conversation.assigned_agent_id, text=body.text))
    services.store.audit(agent.username, "whisper", conversation_id, f"to agent {conversation.assigned_agent_id}")
    event = {"type": "whisper", "conversation": conversation_id, "text": body.text, "from": agent.display_name,
             "id": saved.id}
    await services.hub.to_agent(conversation.assigned_agent_id, event)
    return {"id": saved.id, "to_agent": conversation.assigned_agent_id}


@router.post("/conversations/{conversation_id}/takeover")
async def take_over(conversation_id: str, request: Request, agent: Agent = Depends(supervisor)) -> dict[str, Any]:
    """A supervisor takes any conversation: from the bot, from the queue, or from an agent, who is told."""
    services = services_of(request)
    conversation = visible_conversation(services, agent, conversation_id)
    previous: int | None = None
    try:
        if conversation.mode == "bot":
            handoff = services.queue.take_over(agent, conversation_id)
        else:
            handoff, previous = services.queue.take_from_agent(agent, conversation_id)
    except ClaimRefused as refused:
        raise _refuse(409, "takeover_refused", str(refused)) from None
    if conversation.mode == "bot":
        try:
            await services.rasa.append_event(conversation.bot_sender, "pause")
        except RasaUnavailable:
            services.store.audit("system", "pause_failed", conversation_id)
    if previous is not None:
        await services.hub.to_agent(previous, {"type": "taken_over", "conversation": conversation_id,
                                               "by": agent.display_name})
    await _announce_agent(services, conversation_id, agent)
    return {"conversation": conversation_id, "handoff": handoff.id, "mode": "human", "from_agent": previous}
