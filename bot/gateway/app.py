"""The gateway's ASGI app: the customer chat (`POST /api/chat`, the `/ws/chat` WebSocket and the
widget at `/`), the agent console (`/console`, `/api/console/*`, `/ws/console`) and `GET /health`.

Whatever goes wrong behind it, a customer gets a polite answer in JSON, never a stack trace:
bad input is refused with a message that says what to change, and an unreachable bot is answered
by a fallback that offers a person (`degraded: true`).
"""
from __future__ import annotations

import asyncio
import html
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from bot.config import KefuConfig, load_config
from bot.gateway import (
    console_api,
    console_desk,
    console_detail,
    console_supervision,
    console_tickets,
    console_ws,
    customer_api,
    customer_profile,
    customer_ws,
)
from bot.gateway.agents import seed_demo_agents
from bot.gateway.assignment import run_assigner
from bot.gateway.console_guard import demo_accounts_in_use
from bot.gateway.idle import run_idle_sweeper
from bot.gateway.quick_replies import seed_shared
from bot.gateway.router import BOT_UNAVAILABLE_TEXT
from bot.gateway.services import Services
from rasa_plugins.text import log_masking

__all__ = ["BOT_UNAVAILABLE_TEXT", "create_app"]

logger = logging.getLogger("kefu.gateway")
STATIC = Path(__file__).parent / "static"
TEMPLATES = Path(__file__).parent / "templates"


def widget_page(config: KefuConfig) -> str:
    """The chat page, titled with the bot's company from kefu.yml (`persona.company`)."""
    company = config.persona.company.strip()
    title = f"{company} · 在线客服" if company else "在线客服"
    return (TEMPLATES / "widget.html").read_text(encoding="utf-8").replace("{{title}}", html.escape(title))


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse(status_code=status, content={"error": code, "message": message})


def create_app(config: KefuConfig | None = None) -> FastAPI:
    log_masking.install()  # personal data and tokens never reach the gateway's log (uvicorn's access log too)
    settings = config or load_config()
    services = Services.build(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if settings.gateway.seed_demo_agents and seed_demo_agents(services.store, settings.gateway.agent_max_concurrency):
            logger.warning("demo mode (gateway.seed_demo_agents): no agent existed, so the demo accounts were created")
        if published := await asyncio.to_thread(demo_accounts_in_use, services.store):
            logger.warning("the demo accounts %s still have their published passwords (docs/handoff.md): anyone can log "
                           "in as them; change the passwords or delete them before real use", ", ".join(published))
        if settings.desk.quick_replies:
            seeded = seed_shared(services.store, settings.path(settings.desk.quick_replies))
            if seeded:
                logger.info("loaded %d shared quick replies from %s", seeded, settings.desk.quick_replies)
        sweeper = asyncio.create_task(run_idle_sweeper(services))
        assigning = asyncio.create_task(run_assigner(services.assigner))
        # the risk classifier's e5 model and the suggestions' index load in the background, not in a customer's turn
        warming = asyncio.create_task(asyncio.to_thread(services.router.risk.warm_up))
        loading = asyncio.create_task(asyncio.to_thread(services.suggester.warm_up))
        yield
        for task in (warming, loading, sweeper, assigning):
            task.cancel()
        for task in (sweeper, assigning):
            with suppress(asyncio.CancelledError):
                await task
        await services.rasa.close()
        services.store.close()

    app = FastAPI(title="Kefu gateway", version="0.2.0", lifespan=lifespan)
    app.state.services = services

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError) -> JSONResponse:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'][1:])}: {e['msg']}" for e in error.errors())
        return _error(422, "invalid_request", f"请求格式不正确（{problems}）")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
        if error.status_code == 400:
            return _error(400, "unreadable_body", '请求内容无法解析，请发送 JSON：{"sender": "...", "message": "..."}')
        if isinstance(error.detail, dict):
            return JSONResponse(status_code=error.status_code, content=error.detail)
        return _error(error.status_code, "http_error", str(error.detail))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception) -> JSONResponse:
        logger.exception("unhandled error on %s", request.url.path)
        return _error(500, "internal_error", "抱歉，系统出了点问题，请稍后再试。")

    @app.get("/health")
    async def health() -> dict[str, object]:
        return {"status": "ok", "rasa_reachable": await services.rasa.is_up()}

    page = widget_page(settings)

    @app.get("/", include_in_schema=False)
    async def widget() -> HTMLResponse:
        return HTMLResponse(page)

    @app.get("/console", include_in_schema=False)
    async def console() -> FileResponse:
        return FileResponse(STATIC / "console.html")

    @app.get("/console/board", include_in_schema=False)
    async def supervision_board() -> FileResponse:
        return FileResponse(STATIC / "board.html")

    @app.get("/console/tickets", include_in_schema=False)
    async def tickets() -> FileResponse:
        return FileResponse(STATIC / "tickets.html")

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(customer_api.router)
    app.include_router(customer_ws.router)
    app.include_router(console_api.router)
    app.include_router(console_detail.router)
    app.include_router(console_desk.router)
    app.include_router(console_supervision.router)
    app.include_router(console_tickets.router)
    app.include_router(customer_profile.router)
    app.include_router(console_ws.router)
    return app
