"""The agent desk's API: suggested answers and knowledge search, quick replies (话术库) with their
usage, the desk's groups, and push assignment's offers. Supervision is in console_supervision.py."""
from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from bot.gateway import agents as accounts
from bot.gateway.assignment import offer_dict
from bot.gateway.console_api import _announce_agent, _refuse, current_agent, supervisor, visible_conversation
from bot.gateway.customer_profile import shop_facts
from bot.gateway.models import Agent
from bot.gateway.models_desk import QuickReply
from bot.gateway.queue import ClaimRefused
from bot.gateway.quick_replies import QuickReplyError, check_reply, render, reply_dict
from bot.gateway.rasa_client import RasaUnavailable
from bot.gateway.services import Services, services_of

router = APIRouter(prefix="/api/console")
MAX_SEARCH_RESULTS = 5


class NewQuickReply(BaseModel):
    shortcut: str = Field(min_length=1, max_length=32)
    title: str = Field(min_length=1, max_length=64)
    text: str = Field(min_length=1, max_length=2000)
    shared: bool = False


class RenderFor(BaseModel):
    conversation: str = Field(min_length=1, max_length=64)


@router.get("/desk")
async def desk(request: Request, agent: Agent = Depends(current_agent)) -> dict[str, Any]:
    settings = services_of(request).config.desk
    return {"groups": list(settings.groups), "push_groups": list(settings.push_groups),
            "offer_seconds": settings.offer_seconds}


async def _suggest(services: Services, text: str, count: int | None = None) -> dict[str, Any]:
    items = await asyncio.to_thread(services.suggester.suggest, text, count)
    return {"items": [item.as_dict() for item in items], "problem": services.suggester.problem}


@router.get("/conversations/{conversation_id}/suggestions")
async def suggestions(conversation_id: str, request: Request, agent: Agent = Depends(current_agent)) -> dict[str, Any]:
    """Suggested answers for the customer's latest message."""
    services = services_of(request)
    visible_conversation(services, agent, conversation_id)
    customer = [m for m in services.store.messages(conversation_id) if m.role == "customer" and m.text]
    if not customer:
        return {"message_id": None, "items": [], "problem": services.suggester.problem}
    return {"message_id": customer[-1].id, **await _suggest(services, customer[-1].text or "")}


@router.get("/knowledge")
async def knowledge(q: str, request: Request, agent: Agent = Depends(current_agent)) -> dict[str, Any]:
    """The knowledge search box: anything an agent types."""
    if not q.strip() or len(q) > 300:
        raise _refuse(422, "bad_query", "请输入1–300个字的搜索内容。")
    return await _suggest(services_of(request), q, MAX_SEARCH_RESULTS)


@router.get("/quick-replies")
async def quick_replies(request: Request, agent: Agent = Depends(current_agent)) -> dict[str, Any]:
    return {"quick_replies": [reply_dict(r, agent) for r in services_of(request).store.quick_replies_for(agent.id)]}


@router.post("/quick-replies")
async def add_quick_reply(body: NewQuickReply, request: Request, agent: Agent = Depends(current_agent)) -> dict[str, Any]:
    """An agent's own snippet; a shared one needs a supervisor."""
    services = services_of(request)
    if body.shared and not accounts.has_role(agent, "supervisor"):
        raise _refuse(403, "forbidden", "只有主管可以添加共享话术。")
    try:
        check_reply(body.shortcut, body.title, body.text)
    except QuickReplyError as error:
        raise _refuse(422, "bad_quick_reply", str(error)) from None
    reply = services.store.add_quick_reply(QuickReply(owner_agent_id=None if body.shared else agent.id,
                                                      shortcut=body.shortcut, title=body.title, text=body.text))
    services.store.audit(agent.username, "quick_reply_added", detail=f"/{body.shortcut} shared={body.shared}")
    return reply_dict(reply, agent)


@router.delete("/quick-replies/{reply_id}")
async def retire_quick_reply(reply_id: int, request: Request, agent: Agent = Depends(current_agent)) -> dict[str, bool]:
    services = services_of(request)
    reply = services.store.quick_reply(reply_id)
    if reply is None or reply.retired_at is not None:
        raise _refuse(404, "not_found", "没有这条话术。")
    mine = reply.owner_agent_id == agent.id
    if not mine and not (reply.owner_agent_id is None and accounts.has_role(agent, "supervisor")):
        raise _refuse(403, "forbidden", "只能删除自己的话术；共享话术由主管删除。")
    services.store.retire_quick_reply(reply_id)
    services.store.audit(agent.username, "quick_reply_retired", detail=f"/{reply.shortcut}")
    return {"ok": True}


@router.post("/quick-replies/{reply_id}/render")
async def render_quick_reply(reply_id: int, body: RenderFor, request: Request,
                             agent: Agent = Depends(current_agent)) -> dict[str, Any]:
    """The snippet's text with the conversation's values filled in, to edit before sending."""
    services = services_of(request)
    reply = services.store.quick_reply(reply_id)
    if reply is None or reply.owner_agent_id not in (None, agent.id):
        raise _refuse(404, "not_found", "没有这条话术。")
    conversation = visible_conversation(services, agent, body.conversation)
    shop = await asyncio.to_thread(shop_facts, services, conversation.account_id) if conversation.account_id else None
    try:
        slots = (await services.rasa.tracker(conversation.bot_sender)).get("slots") or {}
    except RasaUnavailable:
        slots = {}
    order = slots.get("order_number")
    rendered = render(reply.text, {"客户": (shop or {}).get("name") or "", "客服": agent.display_name,
                                   "订单号": str(order) if order else None})
    return {"id": reply.id, "text": rendered.text, "missing": rendered.missing}


@router.get("/quick-replies/usage")
async def quick_reply_usage(request: Request, agent: Agent = Depends(supervisor)) -> dict[str, Any]:
    """How often each snippet was sent, in total and per agent."""
    services = services_of(request)
    names = {a.id: a.display_name for a in services.store.agents()}
    totals: dict[int, dict[str, Any]] = {}
    for reply_id, agent_id, count in services.store.quick_reply_usage():
        reply = services.store.quick_reply(reply_id)
        row = totals.setdefault(reply_id, {"id": reply_id, "shortcut": reply.shortcut if reply else "?",
                                           "title": reply.title if reply else "", "total": 0, "by_agent": {}})
        row["total"] += count
        row["by_agent"][names.get(agent_id, str(agent_id))] = count
    return {"usage": sorted(totals.values(), key=lambda row: -row["total"])}


@router.get("/offers")
async def offers(request: Request, agent: Agent = Depends(current_agent)) -> dict[str, Any]:
    return {"offers": services_of(request).assigner.offers_for(agent)}


@router.post("/offers/{offer_id}/accept")
async def accept_offer(offer_id: int, request: Request, agent: Agent = Depends(current_agent)) -> dict[str, Any]:
    services = services_of(request)
    try:
        handoff = services.assigner.accept(agent, offer_id)
    except ClaimRefused as refused:
        await services.assigner.dispatch()
        raise _refuse(409, "offer_refused", str(refused)) from None
    services.desk.take_up(handoff.conversation_id, agent)
    await _announce_agent(services, handoff.conversation_id, agent)
    return {"conversation": handoff.conversation_id, "handoff": handoff.id, "mode": "human"}


@router.post("/offers/{offer_id}/decline")
async def decline_offer(offer_id: int, request: Request, agent: Agent = Depends(current_agent)) -> dict[str, Any]:
    services = services_of(request)
    offer = services.store.offer(offer_id)
    try:
        await services.assigner.decline(agent, offer_id)
    except ClaimRefused as refused:
        raise _refuse(404, "not_found", str(refused)) from None
    return {"declined": offer_id, "conversation": offer.conversation_id if offer else None,
            "offers": [offer_dict(o) for o in services.store.open_offers() if o.agent_id == agent.id]}
