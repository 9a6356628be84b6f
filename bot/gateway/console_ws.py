"""The agent console's WebSocket `/ws/console`: pushes queue changes and the messages of the
agent's conversations (all of them for supervisors); accepts `{"type": "reply", ...}` frames."""
from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import APIRouter, HTTPException, WebSocket, WebSocketDisconnect

from bot.gateway import agents as accounts
from bot.gateway.console_api import agent_reply, agent_view, session_token
from bot.gateway.services import services_of

router = APIRouter()


def same_origin(socket: WebSocket) -> bool:
    """A browser always sends Origin on a WebSocket; it must name the host the console is served from.
    A client without Origin (a script, a test) is not a browser carrying someone's cookie."""
    origin = socket.headers.get("origin")
    if origin is None:
        return True
    return urlsplit(origin).netloc == socket.headers.get("host")


@router.websocket("/ws/console")
async def console_socket(socket: WebSocket) -> None:
    """Pushes queue changes and the agent's conversations' messages; accepts `reply` frames."""
    services = services_of(socket)
    await socket.accept()
    if not same_origin(socket):  # cross-site WebSocket hijacking: a hostile page opening this with the cookie
        services.store.audit("console", "ws_origin_refused", detail=str(socket.headers.get("origin"))[:200])
        await socket.close(code=4403, reason="cross-origin console connection")
        return
    token = session_token(socket)
    agent = accounts.agent_for_token(services.store, token) if token else None
    if agent is None:
        await socket.close(code=4401, reason="not logged in")
        return
    services.hub.consoles[socket] = agent
    try:
        await socket.send_json({"type": "hello", "agent": agent_view(agent)})
        while True:
            frame = await socket.receive_json()
            if isinstance(frame, dict) and frame.get("type") == "reply":
                try:
                    quick = frame.get("quick_reply")
                    sent = await agent_reply(services, agent, str(frame.get("conversation")), str(frame.get("text") or "")[:4000],
                                             quick if isinstance(quick, int) else None)
                    await socket.send_json({"type": "sent", "ref": frame.get("ref"), "message": sent})
                except HTTPException as refused:
                    await socket.send_json({"type": "error", "ref": frame.get("ref"), **refused.detail})
    except (WebSocketDisconnect, ValueError):
        pass
    finally:
        services.hub.consoles.pop(socket, None)
