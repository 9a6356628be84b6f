"""The gateway's ASGI app: `POST /api/chat` relays a customer's message to Rasa, `GET /health`.

Whatever goes wrong behind it, a customer gets a polite answer in JSON, never a stack trace:
bad input is refused with a message that says what to change, and an unreachable bot is answered
by a fallback that offers a person (`degraded: true`).
"""
from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from bot.config import KefuConfig, load_config
from bot.gateway.message_text import clean_customer_text
from bot.gateway.rasa_client import RasaClient, RasaUnavailable
from bot.gateway.schemas import BotMessage, ChatRequest, ChatResponse

logger = logging.getLogger("kefu.gateway")

BOT_UNAVAILABLE_TEXT = "抱歉，系统暂时繁忙，没能处理您的消息。请稍后再试，或回复“转人工”联系人工客服。"


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse(status_code=status, content={"error": code, "message": message})


def create_app(config: KefuConfig | None = None) -> FastAPI:
    settings = config or load_config()
    rasa = RasaClient(settings.url("rasa"), settings.gateway.rasa_timeout_s)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        await rasa.close()

    app = FastAPI(title="Kefu gateway", version="0.1.0", lifespan=lifespan)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError) -> JSONResponse:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'][1:])}: {e['msg']}" for e in error.errors())
        return _error(422, "invalid_request", f"请求格式不正确（{problems}）")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
        if error.status_code == 400:
            return _error(400, "unreadable_body", '请求内容无法解析，请发送 JSON：{"sender": "...", "message": "..."}')
        return _error(error.status_code, "http_error", str(error.detail))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception) -> JSONResponse:
        logger.exception("unhandled error on %s", request.url.path)
        return _error(500, "internal_error", "抱歉，系统出了点问题，请稍后再试。")

    @app.get("/health")
    async def health() -> dict[str, object]:
        return {"status": "ok", "rasa_reachable": await rasa.is_up()}

    @app.post("/api/chat", response_model=ChatResponse, response_model_exclude_none=True)
    async def chat(request: ChatRequest) -> ChatResponse | JSONResponse:
        if len(request.message) > settings.gateway.max_message_chars:
            return _error(413, "message_too_long",
                          f"消息太长了（最多 {settings.gateway.max_message_chars} 个字），请分几次发送。")
        text = clean_customer_text(request.message)
        if not text:
            return _error(422, "empty_message", "消息是空的，请输入您的问题。")
        try:
            replies = await rasa.send_message(request.sender, text)
        except RasaUnavailable as error:
            logger.warning("Rasa unavailable for sender %s: %s", request.sender, error)
            return ChatResponse(sender=request.sender, messages=[BotMessage(text=BOT_UNAVAILABLE_TEXT)], degraded=True)
        messages = [BotMessage(**{k: v for k, v in reply.items() if k in BotMessage.model_fields}) for reply in replies]
        return ChatResponse(sender=request.sender, messages=messages)

    return app
