"""The customer's HTTP API: `POST /api/chat` (one message, the bot's answer back) and
`GET /api/conversations/{id}/messages` (their own transcript, with the conversation's token).
Who the customer is comes from an identity token (bot/gateway/identity.py), never from `sender`."""
from __future__ import annotations

import hmac
import secrets
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse

from bot.gateway.customer_view import customer_message, customer_payload
from bot.gateway.identity import IdentityRefused, VerifiedCustomer
from bot.gateway.message_text import clean_customer_text
from bot.gateway.models import Conversation
from bot.gateway.schemas import BotMessage, ChatRequest, ChatResponse, QueueStatus
from bot.gateway.services import Services, services_of

router = APIRouter()


class CustomerRefused(Exception):
    """A customer request the gateway will not process: status, error code, polite message."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message

    def response(self) -> JSONResponse:
        return JSONResponse(status_code=self.status, content={"error": self.code, "message": self.message})


def checked_text(services: Services, sender: str, raw: str) -> str:
    """The cleaned message, or CustomerRefused: too long, empty, or the sender is too fast."""
    limit = services.config.gateway.max_message_chars
    if len(raw) > limit:
        raise CustomerRefused(413, "message_too_long", f"消息太长了（最多 {limit} 个字），请分几次发送。")
    text = clean_customer_text(raw)
    if not text:
        raise CustomerRefused(422, "empty_message", "消息是空的，请输入您的问题。")
    if not services.rate_limit.allow(sender):
        raise CustomerRefused(429, "too_many_messages", "您发送得太快了，请稍等片刻再发。")
    return text


def token_matches(conversation: Conversation, token: str | None) -> bool:
    return token is not None and hmac.compare_digest(conversation.token.encode(), token.encode())


def new_guest_sender() -> str:
    return f"web-{secrets.token_hex(8)}"


def verified_customer(services: Services, identity: str | None) -> VerifiedCustomer | None:
    """The account an identity token proves, None without a token; a bad token is refused and audited."""
    if identity is None:
        return None
    try:
        return services.identity.verify(identity)
    except IdentityRefused as refused:
        services.store.audit("customer", "identity_refused", None, f"{refused.code}: {refused.detail}"[:300])
        raise CustomerRefused(401, refused.code, "身份凭证无效或已过期，请重新登录后再试。") from refused


def customer_conversation(services: Services, sender: str, token: str | None,
                          customer: VerifiedCustomer | None) -> tuple[Conversation, bool]:
    """The customer's live conversation (opened if needed).

    A proven account (an identity token) continues its own conversation. A guest continues one
    only with the token its first reply handed out, on REST exactly as on the WebSocket: a sender
    id alone is guessable, and whoever continues a conversation talks to a bot that may already
    have verified the owner's order. Refusals are audited.
    """
    if customer is not None:
        return services.store.open_conversation(customer.account, account=customer.account)
    conversation, created = services.store.open_conversation(sender, earlier_token=token)
    if not created and not token_matches(conversation, token):
        code = "missing_token" if token is None else "wrong_token"
        services.store.audit("customer", f"refused_{code}", conversation.id, f"sender {sender[:64]}")
        if token is None:
            raise CustomerRefused(401, code, "请带上本会话的凭证（第一次回复中的 token）继续对话。")
        raise CustomerRefused(403, code, "会话凭证不正确，请刷新页面重新开始。")
    return conversation, created


@router.post("/api/chat", response_model=ChatResponse, response_model_exclude_none=True)
async def chat(request: ChatRequest, http: Request) -> ChatResponse | JSONResponse:
    services = services_of(http)
    try:
        customer = verified_customer(services, request.identity)
        sender = request.sender or new_guest_sender()
        text = checked_text(services, customer.account if customer else sender, request.message)
        conversation, created = customer_conversation(services, sender, request.token, customer)
    except CustomerRefused as refused:
        return refused.response()
    turn = await services.router.customer_message(conversation, text, request.client_id)
    messages = [BotMessage(text=reply.text, **(customer_payload(reply.payload) or {})) for reply in turn.replies]
    return ChatResponse(sender=conversation.sender, messages=messages, degraded=turn.degraded,
                        conversation=conversation.id, mode=turn.conversation.mode,
                        token=conversation.token if created else None, verified=True if customer else None,
                        queue=QueueStatus(**turn.queue) if turn.queue else None)


@router.get("/api/conversations/{conversation_id}/messages")
async def transcript(conversation_id: str, token: str, http: Request, after: int = 0) -> dict[str, Any]:
    services = services_of(http)
    conversation = services.store.conversation(conversation_id)
    if conversation is None or not token_matches(conversation, token):
        services.store.audit("customer", "refused_transcript", None, f"conversation {conversation_id[:40]}")
        raise HTTPException(404, {"error": "not_found", "message": "没有找到这个会话。"})
    return {"conversation": conversation.id, "mode": conversation.mode,
            "messages": [customer_message(m) for m in services.store.messages(conversation.id, after)]}
