"""Request and response bodies of the gateway's chat API."""
from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class ChatRequest(BaseModel):
    sender: str = Field(min_length=1, max_length=128, description="stable id of the customer or conversation")
    message: str = Field(description="what the customer typed")


class BotMessage(BaseModel):
    text: str | None = None
    buttons: list[dict[str, Any]] | None = None
    custom: dict[str, Any] | None = None
    image: str | None = None


class ChatResponse(BaseModel):
    sender: str
    messages: list[BotMessage]
    degraded: bool = Field(default=False, description="true when the bot could not be reached and a fallback answered")
