"""Request and response bodies of the gateway's chat API."""
from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class ChatRequest(BaseModel):
    sender: str | None = Field(default=None, min_length=1, max_length=128,
                               description="the client's id for a guest's conversation (made by the gateway when absent); "
                                           "never an identity")
    message: str = Field(description="what the customer typed")
    token: str | None = Field(default=None, max_length=64, description="the conversation's token, once known")
    identity: str | None = Field(default=None, max_length=4096,
                                 description="a JWT the shop's site signed for its logged-in customer (docs/security.md)")
    client_id: str | None = Field(default=None, max_length=64, description="client message id: a resend is not processed twice")


class BotMessage(BaseModel):
    text: str | None = None
    buttons: list[dict[str, Any]] | None = None
    custom: dict[str, Any] | None = None
    image: str | None = None


class QueueStatus(BaseModel):
    position: int
    wait_minutes: int


class ChatResponse(BaseModel):
    sender: str
    messages: list[BotMessage]
    degraded: bool = Field(default=False, description="true when the bot could not be reached and a fallback answered")
    conversation: str | None = None
    mode: str | None = Field(default=None, description="bot | queued | human | closed")
    token: str | None = Field(default=None, description="given once, when the conversation is created")
    verified: bool | None = Field(default=None, description="true when an identity token proved the customer's account")
    queue: QueueStatus | None = None
