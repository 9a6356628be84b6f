"""One conversation as an agent sees it (`GET /api/console/conversations/{id}`): the transcript,
earlier sessions, the handoff, notes and what the bot understood, so the customer never repeats
themselves. Personal values are masked (rasa_plugins/text/pii.py: a phone keeps its first three
and last four digits); `POST …/reveal` shows them in full to an agent who may see the conversation,
and the audit log records who revealed what.
"""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request

from bot.gateway.agents import has_role
from bot.gateway.console_api import current_agent, visible_conversation
from bot.gateway.live_watch import signal_dict
from bot.gateway.models import Agent, Conversation
from bot.gateway.rasa_client import RasaUnavailable
from bot.gateway.services import Services, services_of
from bot.gateway.store import message_dict
from bot.gateway.tracker_view import understanding
from bot.privacy.masking import masked

router = APIRouter(prefix="/api/console")


async def detail(services: Services, conversation: Conversation, reveal: bool, viewer: Agent) -> dict[str, Any]:
    handoff = services.queue.open_handoff(conversation.id) or services.queue.last_resolved(conversation.id)
    try:
        bot = understanding(await services.rasa.tracker(conversation.bot_sender))
    except RasaUnavailable as error:
        bot = {"error": f"机器人暂时无法访问：{error}"[:300]}
    shown = {"conversation": conversation.id, "sender": conversation.sender, "account": conversation.account_id,
             "mode": conversation.mode, "revealed": reveal,
             "assigned_agent": conversation.assigned_agent_id, "previous": conversation.previous_id,
             "messages": [message_dict(m) for m in services.store.messages(conversation.id)],
             "history": [message_dict(m) for m in services.store.history(conversation)],
             "handoff": None if handoff is None else {
                 "id": handoff.id, "trigger": handoff.trigger, "reason": handoff.reason, "priority": handoff.priority,
                 "problem_class": handoff.problem_class, "group": handoff.agent_group, "summary": handoff.summary,
                 "queued_at": handoff.queued_at.isoformat() + "Z"},
             "notes": [{"id": n.id, "agent": n.agent_id, "text": n.text, "created_at": n.created_at.isoformat() + "Z"}
                       for n in services.store.notes(conversation.id)],
             "tickets": [{"id": t.id, "number": t.number, "status": t.status, "title": t.title,
                          "due_at": t.due_at.isoformat() + "Z"} for t in services.store.tickets_of_conversation(conversation.id)],
             "bot": bot,
             # the live watch's reading of each customer message during human service (live_watch.py)
             "signals": {str(k): signal_dict(v) for k, v in services.store.signals(conversation.id).items()},
             "whispers": [{"id": w.id, "text": w.text, "from": w.from_agent_id, "created_at": w.created_at.isoformat() + "Z"}
                          for w in services.store.whispers(conversation.id)]
             if has_role(viewer, "supervisor") or conversation.assigned_agent_id == viewer.id else []}
    return shown if reveal else masked(shown)


@router.get("/conversations/{conversation_id}")
async def conversation_detail(conversation_id: str, request: Request,
                              agent: Agent = Depends(current_agent)) -> dict[str, Any]:
    services = services_of(request)
    return await detail(services, visible_conversation(services, agent, conversation_id), reveal=False,
                        viewer=agent)


@router.post("/conversations/{conversation_id}/reveal")
async def reveal(conversation_id: str, request: Request, agent: Agent = Depends(current_agent)) -> dict[str, Any]:
    """The same view with personal values in full; audited."""
    services = services_of(request)
    conversation = visible_conversation(services, agent, conversation_id)
    services.store.audit(agent.username, "revealed_pii", conversation_id)
    return await detail(services, conversation, reveal=True, viewer=agent)
