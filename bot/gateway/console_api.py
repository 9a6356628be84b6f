"""The agent console's API, `/api/console/*` (its WebSocket is in console_ws.py).

Every endpoint checks the session (cookie `kefu_session` or `Authorization: Bearer <token>`; a
cookie session's state-changing calls also need the CSRF header, see console_guard.py) and
the role it needs: agents see their groups' queue and their own conversations; supervisors see
everything, watch live bot conversations and take them over; admins also manage accounts and read
the audit log. Every action that changes a conversation is written to the audit log.
"""
from __future__ import annotations

import asyncio
import secrets
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request, Response, WebSocket
from pydantic import BaseModel, Field

from bot.gateway import agents as accounts
from bot.gateway import console_guard as guard
from bot.gateway.models import Agent, Conversation
from bot.gateway.queue import ClaimRefused
from bot.gateway.rasa_resume import resolve_and_resume
from bot.gateway.services import Services, services_of
from bot.gateway.store import message_dict

router = APIRouter(prefix="/api/console")
COOKIE = "kefu_session"


class Login(BaseModel):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)


class Text(BaseModel):
    text: str = Field(min_length=1, max_length=4000)


class Reply(Text):
    quick_reply: int | None = None  # the quick reply the text was written from (usage statistics)


class Presence(BaseModel):
    presence: str


class Transfer(BaseModel):
    group: str = Field(min_length=1, max_length=64)


class NewAgent(BaseModel):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=8, max_length=256)
    role: str = "agent"
    groups: str = ""
    display_name: str = ""


def _refuse(status: int, code: str, message: str) -> HTTPException:
    return HTTPException(status, {"error": code, "message": message})


def session_token(request: Request | WebSocket) -> str | None:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    return request.cookies.get(COOKIE) or request.query_params.get("token")


def current_agent(request: Request) -> Agent:
    services = services_of(request)
    token = session_token(request)
    agent = accounts.agent_for_token(services.store, token) if token else None
    if agent is None:
        raise _refuse(401, "not_logged_in", "请先登录（会话可能已过期）。")
    if (problem := guard.csrf_refusal(request)) is not None:
        services.store.audit(agent.username, "csrf_refused", detail=f"{request.method} {request.url.path}: {problem}")
        raise _refuse(403, "csrf", "请求缺少控制台的防伪凭证，请刷新控制台页面后重试。")
    return agent


def supervisor(agent: Agent = Depends(current_agent)) -> Agent:
    if not accounts.has_role(agent, "supervisor"):
        raise _refuse(403, "forbidden", "需要主管权限。")
    return agent


def admin(agent: Agent = Depends(current_agent)) -> Agent:
    if not accounts.has_role(agent, "admin"):
        raise _refuse(403, "forbidden", "需要管理员权限。")
    return agent


def agent_view(agent: Agent) -> dict[str, Any]:
    return {"id": agent.id, "username": agent.username, "name": agent.display_name, "role": agent.role,
            "groups": agent.group_list, "presence": agent.presence, "max_concurrency": agent.max_concurrency}


def visible_conversation(services: Services, agent: Agent, conversation_id: str) -> Conversation:
    """The conversation if this agent may see it: theirs, queued for their group, or any for supervisors."""
    conversation = services.store.conversation(conversation_id)
    if conversation is None:
        raise _refuse(404, "not_found", "没有这个会话。")
    if accounts.has_role(agent, "supervisor") or conversation.assigned_agent_id == agent.id:
        return conversation
    handoff = services.queue.open_handoff(conversation_id)
    if conversation.mode == "queued" and handoff and handoff.agent_group in agent.group_list:
        return conversation
    raise _refuse(403, "forbidden", "这个会话不在您的权限范围内。")


def assigned_conversation(services: Services, agent: Agent, conversation_id: str) -> Conversation:
    conversation = visible_conversation(services, agent, conversation_id)
    if conversation.mode != "human" or conversation.assigned_agent_id != agent.id:
        raise _refuse(409, "not_yours", "请先接入这个会话。")
    return conversation


@router.post("/login")
async def login(body: Login, request: Request, response: Response) -> dict[str, Any]:
    services = services_of(request)
    address = guard.client_address(request)
    if guard.locked_out(services.store, body.username, address):
        services.store.audit(body.username[:64], "login_locked", detail=f"from {address}")
        raise _refuse(429, "too_many_attempts", "登录失败次数过多，账号已暂时锁定，请15分钟后再试或联系管理员。")
    result = await asyncio.to_thread(accounts.login, services.store, body.username, body.password,
                                     services.config.gateway.agent_session_hours)
    if result is None:
        services.store.audit(body.username[:64], "login_failed", detail=f"from {address}")
        raise _refuse(401, "bad_credentials", "用户名或密码不正确。")
    agent, token = result
    accounts.set_presence(services.store, agent.id, "online")
    hours = services.config.gateway.agent_session_hours
    secure = request.url.scheme == "https"  # a Secure cookie is never sent over plain HTTP
    response.set_cookie(COOKIE, token, httponly=True, samesite="strict", secure=secure, max_age=int(hours * 3600))
    csrf = secrets.token_urlsafe(24)  # readable by the console's own pages, sent back as a header
    response.set_cookie(guard.CSRF_COOKIE, csrf, httponly=False, samesite="strict", secure=secure,
                        max_age=int(hours * 3600))
    await services.assigner.dispatch()  # an agent who just came online may be the one a waiting customer needs
    return {"token": token, "csrf": csrf, "agent": agent_view(accounts.get_agent(services.store, agent.id) or agent)}


@router.post("/logout")
async def logout(request: Request, response: Response, agent: Agent = Depends(current_agent)) -> dict[str, bool]:
    services = services_of(request)
    accounts.set_presence(services.store, agent.id, "offline")
    accounts.logout(services.store, session_token(request) or "")
    response.delete_cookie(COOKIE)
    response.delete_cookie(guard.CSRF_COOKIE)
    return {"ok": True}


@router.get("/me")
async def me(agent: Agent = Depends(current_agent)) -> dict[str, Any]:
    return agent_view(agent)


@router.post("/presence")
async def presence(body: Presence, request: Request, agent: Agent = Depends(current_agent)) -> dict[str, Any]:
    services = services_of(request)
    try:
        accounts.set_presence(services.store, agent.id, body.presence)
    except accounts.AgentError as error:
        raise _refuse(422, "bad_presence", str(error)) from None
    services.store.audit(agent.username, "presence", detail=body.presence)
    await services.assigner.dispatch()
    return agent_view(accounts.get_agent(services.store, agent.id) or agent)


@router.get("/queue")
async def queue(request: Request, agent: Agent = Depends(current_agent)) -> dict[str, Any]:
    services = services_of(request)
    return {"queue": [entry.as_dict() for entry in services.queue.visible_to(agent)],
            "active": services.queue.active_count(agent.id), "max_concurrency": agent.max_concurrency}


@router.get("/conversations")
async def conversations(request: Request, scope: str = "mine", agent: Agent = Depends(current_agent)) -> dict[str, Any]:
    """`mine`: conversations this agent serves; `live` (supervisors): everything bot or human."""
    services = services_of(request)
    if scope == "live" and not accounts.has_role(agent, "supervisor"):
        raise _refuse(403, "forbidden", "需要主管权限。")
    modes = ("bot", "human") if scope == "live" else ("human",)
    rows = [c for c in services.store.conversations_in_mode(*modes) if scope == "live" or c.assigned_agent_id == agent.id]
    return {"conversations": [{"conversation": c.id, "sender": c.sender, "account": c.account_id, "mode": c.mode,
                               "assigned_agent": c.assigned_agent_id,
                               "last_activity_at": c.last_activity_at.isoformat() + "Z"} for c in rows[:200]]}


async def _announce_agent(services: Services, conversation_id: str, agent: Agent) -> None:
    await services.hub.to_customer(conversation_id, {"type": "mode", "mode": "human", "agent": agent.display_name})
    await services.hub.to_consoles({"type": "queue", "conversation": conversation_id}, everyone=True)
    conversation = services.store.conversation(conversation_id)
    if conversation is not None:
        await services.router.say(conversation, "system", f"客服{agent.display_name}为您服务。",
                                  {"agent": agent.display_name})


@router.post("/conversations/{conversation_id}/claim")
async def claim(conversation_id: str, request: Request, agent: Agent = Depends(current_agent)) -> dict[str, Any]:
    services = services_of(request)
    visible_conversation(services, agent, conversation_id)
    try:
        handoff = services.queue.claim(agent, conversation_id)
    except ClaimRefused as refused:
        raise _refuse(409, "claim_refused", str(refused)) from None
    services.desk.take_up(conversation_id, agent)
    await _announce_agent(services, conversation_id, agent)
    return {"conversation": conversation_id, "handoff": handoff.id, "mode": "human"}


async def agent_reply(services: Services, agent: Agent, conversation_id: str, text: str,
                      quick_reply: int | None = None) -> dict[str, Any]:
    """Send an agent's message; `quick_reply`: the snippet it was written from, counted as used."""
    if not text.strip():
        raise _refuse(422, "empty_message", "消息是空的。")
    conversation = assigned_conversation(services, agent, conversation_id)
    message = await services.router.say(conversation, "agent", text, {"agent": agent.display_name})
    services.store.update_conversation(conversation_id, last_activity_at=message.created_at, reminded=False)
    if quick_reply is not None and (reply := services.store.quick_reply(quick_reply)) is not None \
            and reply.owner_agent_id in (None, agent.id):
        services.store.record_quick_reply_use(reply.id, agent.id, conversation_id)
    return message_dict(message)


@router.post("/conversations/{conversation_id}/messages")
async def reply(conversation_id: str, body: Reply, request: Request, agent: Agent = Depends(current_agent)) -> dict[str, Any]:
    return await agent_reply(services_of(request), agent, conversation_id, body.text, body.quick_reply)


@router.post("/conversations/{conversation_id}/notes")
async def add_note(conversation_id: str, body: Text, request: Request, agent: Agent = Depends(current_agent)) -> dict[str, Any]:
    services = services_of(request)
    visible_conversation(services, agent, conversation_id)
    note = services.store.add_note(conversation_id, agent.id, body.text)
    services.store.audit(agent.username, "note", conversation_id)
    return {"id": note.id, "text": note.text}


@router.post("/conversations/{conversation_id}/transfer")
async def transfer(conversation_id: str, body: Transfer, request: Request, agent: Agent = Depends(current_agent)) -> dict[str, Any]:
    services = services_of(request)
    conversation = assigned_conversation(services, agent, conversation_id)
    handoff = services.queue.transfer(agent, conversation_id, body.group)
    await services.router.say(conversation, "system", f"正在为您转接{body.group}组的同事，请稍候。")
    await services.hub.to_customer(conversation_id, {"type": "mode", "mode": "queued",
                                                     "queue": services.router.queue_status(conversation_id)})
    await services.hub.to_consoles({"type": "queue", "conversation": conversation_id}, everyone=True)
    await services.assigner.dispatch()
    return {"conversation": conversation_id, "group": handoff.agent_group, "mode": "queued"}


@router.post("/conversations/{conversation_id}/resolve")
async def resolve(conversation_id: str, request: Request, agent: Agent = Depends(current_agent)) -> dict[str, Any]:
    services = services_of(request)
    conversation = assigned_conversation(services, agent, conversation_id)
    await resolve_and_resume(services.router, agent, conversation)
    await services.assigner.dispatch()  # the agent has room for the next one
    return {"conversation": conversation_id, "mode": "bot"}


@router.get("/ratings")
async def ratings(request: Request, agent: Agent = Depends(supervisor)) -> dict[str, Any]:
    rows = services_of(request).store.ratings(500)
    return {"ratings": [{"conversation": r.conversation_id, "agent": r.agent_id, "score": r.score,
                         "created_at": r.created_at.isoformat() + "Z"} for r in rows]}


@router.get("/audit")
async def audit(request: Request, conversation: str | None = None, agent: Agent = Depends(admin)) -> dict[str, Any]:
    entries = services_of(request).store.audit_log(conversation)[-500:]
    return {"audit": [{"at": e.at.isoformat() + "Z", "actor": e.actor, "action": e.action,
                       "conversation": e.conversation_id, "detail": e.detail} for e in entries]}


@router.post("/agents")
async def create_agent(body: NewAgent, request: Request, agent: Agent = Depends(admin)) -> dict[str, Any]:
    services = services_of(request)
    try:
        created = accounts.create_agent(services.store, body.username, body.password, body.role, body.groups,
                                        body.display_name, services.config.gateway.agent_max_concurrency)
    except accounts.AgentError as error:
        raise _refuse(422, "bad_agent", str(error)) from None
    return agent_view(created)
