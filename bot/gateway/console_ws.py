"""The agent console's WebSocket `/ws/console`: pushes queue changes and the messages of the
agent's conversations (all of them for supervisors); accepts `{"type": "reply", ...}` frames."""
from __future__ import annotations

from fastapi import APIRouter, HTTPException, WebSocket, WebSocketDisconnect

from bot.gateway import agents as accounts
from bot.gateway.console_api import agent_reply, agent_view, session_token
from bot.gateway.services import services_of

router = APIRouter()


@router.websocket("/ws/console")
async def console_socket(socket: WebSocket) -> None:
    """Pushes queue changes and the agent's conversations' messages; accepts `reply` frames."""
    services = services_of(socket)
    await socket.accept()
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
                    sent = await agent_reply(services, agent, str(frame.get("conversation")), str(frame.get("text") or "")[:4000])
                    await socket.send_json({"type": "sent", "ref": frame.get("ref"), "message": sent})
                except HTTPException as refused:
                    await socket.send_json({"type": "error", "ref": frame.get("ref"), **refused.detail})
    except (WebSocketDisconnect, ValueError):
        pass
    finally:
        services.hub.consoles.pop(socket, None)
