"""The web chat's WebSocket, `/ws/chat?sender=...&token=...&identity=...&after=<last message id seen>`.

`identity` is the shop's signed token for a logged-in customer (bot/gateway/identity.py); without
it the customer is a guest, and continuing a guest's conversation needs its `token`.

No message is lost or duplicated across reconnects: the client gives each message an id and keeps
it until the server's `ack`, which is sent only after the message is committed; on reconnect it
resends whatever is unacknowledged (the server stores a client id once and re-acks a resend) and
asks for everything after the last server message id it saw.
"""
from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from bot.gateway.agents import get_agent
from bot.gateway.customer_api import (
    CustomerRefused,
    checked_text,
    customer_conversation,
    new_guest_sender,
    verified_customer,
)
from bot.gateway.customer_view import customer_message
from bot.gateway.models import Conversation, Message
from bot.gateway.services import Services, services_of

router = APIRouter()
FRAME_OVERHEAD = 1024
WRONG_TOKEN_CODE = 4403
BAD_IDENTITY_CODE = 4401


def agent_name(services: Services, conversation: Conversation) -> str | None:
    if conversation.mode != "human" or conversation.assigned_agent_id is None:
        return None
    agent = get_agent(services.store, conversation.assigned_agent_id)
    return agent.display_name if agent else None


def hello(services: Services, conversation: Conversation, after: int) -> dict[str, Any]:
    history = [customer_message(m) for m in services.store.history(conversation)] if after == 0 else []
    return {"type": "hello", "conversation": conversation.id, "token": conversation.token,
            "sender": conversation.sender, "verified": conversation.account_id is not None,
            "mode": conversation.mode, "agent": agent_name(services, conversation),
            "queue": services.router.queue_status(conversation.id), "history": history,
            "messages": [customer_message(m) for m in services.store.messages(conversation.id, after)]}


@router.websocket("/ws/chat")
async def customer_socket(socket: WebSocket, sender: str | None = None, token: str | None = None,
                          identity: str | None = None, after: int = 0) -> None:
    services = services_of(socket)
    await socket.accept()
    if sender is not None and not 1 <= len(sender) <= 128:
        await socket.close(code=1008, reason="sender must be 1-128 characters")
        return
    try:
        customer = verified_customer(services, identity)
        conversation, _ = customer_conversation(services, sender or new_guest_sender(), token, customer)
    except CustomerRefused as refused:
        code = BAD_IDENTITY_CODE if refused.status == 401 and "identity" in refused.code else WRONG_TOKEN_CODE
        await socket.close(code=code, reason=refused.code)
        return
    services.hub.add_customer(conversation.id, socket)
    try:
        await socket.send_json(hello(services, conversation, after))
        while True:
            await _handle_frame(services, socket, conversation, await socket.receive_text())
    except WebSocketDisconnect:
        pass
    finally:
        services.hub.remove_customer(conversation.id, socket)


async def _handle_frame(services: Services, socket: WebSocket, conversation: Conversation, raw: str) -> None:
    if len(raw) > services.config.gateway.max_message_chars * 4 + FRAME_OVERHEAD:
        await socket.send_json({"type": "error", "error": "frame_too_large", "message": "消息太长了，请分几次发送。"})
        return
    try:
        frame = json.loads(raw)
    except ValueError:
        frame = None
    if not isinstance(frame, dict) or frame.get("type") not in ("message", "leave_message", "ping"):
        await socket.send_json({"type": "error", "error": "bad_frame", "message": "无法识别的消息格式。"})
        return
    if frame["type"] == "ping":
        await socket.send_json({"type": "pong"})
        return
    client_id = str(frame.get("client_id") or "")[:64] or None
    try:
        text = checked_text(services, conversation.sender, str(frame.get("text") or ""))
    except CustomerRefused as refused:
        await socket.send_json({"type": "error", "client_id": client_id, "error": refused.code,
                                "message": refused.message})
        return

    async def ack(message: Message) -> None:
        await socket.send_json({"type": "ack", "client_id": client_id, "message": customer_message(message)})

    payload = {"left_message": True} if frame["type"] == "leave_message" else None
    turn = await services.router.customer_message(conversation, text, client_id, payload, on_stored=ack)
    if turn.queue is not None and not turn.replies:
        await socket.send_json({"type": "queue", "queue": turn.queue})
