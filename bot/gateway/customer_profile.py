"""Who the customer is, beside the conversation (`GET /api/console/conversations/{id}/customer`).

For a verified customer (an account proven by an identity token, bot/gateway/identity.py): their
tier and recent orders from the shop's database, open and past tickets, earlier conversations with
their ratings, and the tags and note agents keep (`customer_profiles`). A guest proves nothing, so
the panel shows only this conversation's own tickets: never another customer's data on a sender
id's word. Phone numbers are masked as everywhere in the console.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from pydantic import BaseModel, Field

from bot.gateway.console_api import current_agent, visible_conversation
from bot.gateway.models import Agent, Conversation
from bot.gateway.services import Services, services_of
from bot.privacy.masking import masked

router = APIRouter(prefix="/api/console")
RECENT_ORDERS = 5
EARLIER_CONVERSATIONS = 10
MAX_TAGS = 20


class Tags(BaseModel):
    tags: list[str] = Field(max_length=MAX_TAGS)


class ProfileNote(BaseModel):
    text: str = Field(max_length=2000)


def shop_database(services: Services) -> Path:
    return Path(os.environ.get("KEFU_SHOP_DB") or services.config.path(services.config.paths.var) / "shop.db")


def shop_facts(services: Services, account: str) -> dict[str, Any] | None:
    """Name, tier and recent orders from the shop's database; None when the shop does not know the
    account (or has no database here: the gateway never creates one)."""
    path = shop_database(services)
    if not path.is_file():
        return None
    from actions.shop.repository import ShopRepository  # the shop's own queries (standard library only)

    shop = ShopRepository(path)
    try:
        customer = shop.customer_by_sender(account)
        if customer is None:
            return None
        orders = sorted(shop.orders_of(customer.id), key=lambda order: order.created_at, reverse=True)
        return {"name": customer.name, "phone": customer.phone, "tier": customer.tier, "vip": customer.is_vip,
                "orders": [{"number": o.order_number, "status": o.status, "total": o.total,
                            "created_at": o.created_at} for o in orders[:RECENT_ORDERS]]}
    finally:
        shop.close()


def _tickets(tickets: list[Any]) -> list[dict[str, Any]]:
    return [{"id": t.id, "number": t.number, "reference": t.reference, "title": t.title, "status": t.status,
             "due_at": t.due_at.isoformat() + "Z"} for t in tickets]


def profile(services: Services, conversation: Conversation) -> dict[str, Any]:
    store = services.store
    account = conversation.account_id
    if not account:
        return {"verified": False, "account": None, "shop": None, "tags": [], "note": "",
                "tickets": _tickets(store.tickets_of_conversation(conversation.id)), "earlier": []}
    saved = store.customer_profile(account)
    earlier = store.earlier_conversations(account, conversation.id, EARLIER_CONVERSATIONS)
    ratings = store.ratings_of([c.id for c in earlier])
    return {"verified": True, "account": account, "shop": shop_facts(services, account),
            "tags": saved.tag_list if saved else [], "note": saved.note if saved else "",
            "tickets": _tickets(store.tickets(customer=account, limit=20)),
            "earlier": [{"conversation": c.id, "created_at": c.created_at.isoformat() + "Z", "mode": c.mode,
                         "rating": ratings.get(c.id)} for c in earlier]}


def _verified_account(services: Services, agent: Agent, conversation_id: str) -> str:
    conversation = visible_conversation(services, agent, conversation_id)
    if not conversation.account_id:
        raise HTTPException(409, {"error": "guest", "message": "访客未验证身份，不能记录客户标签。"})
    return conversation.account_id


@router.get("/conversations/{conversation_id}/customer")
async def customer(conversation_id: str, request: Request, agent: Agent = Depends(current_agent)) -> dict[str, Any]:
    services = services_of(request)
    return masked(profile(services, visible_conversation(services, agent, conversation_id)))


@router.post("/conversations/{conversation_id}/customer/tags")
async def set_tags(conversation_id: str, body: Tags, request: Request,
                   agent: Agent = Depends(current_agent)) -> dict[str, Any]:
    services = services_of(request)
    account = _verified_account(services, agent, conversation_id)
    tags = list(dict.fromkeys(tag.strip().replace(",", "，")[:30] for tag in body.tags if tag.strip()))
    services.store.save_customer_profile(account, tags=",".join(tags))
    services.store.audit(agent.username, "customer_tags", conversation_id, ",".join(tags))
    return {"tags": tags}


@router.post("/conversations/{conversation_id}/customer/note")
async def set_note(conversation_id: str, body: ProfileNote, request: Request,
                   agent: Agent = Depends(current_agent)) -> dict[str, Any]:
    services = services_of(request)
    services.store.save_customer_profile(_verified_account(services, agent, conversation_id), note=body.text.strip())
    services.store.audit(agent.username, "customer_note", conversation_id)
    return {"note": body.text.strip()}
