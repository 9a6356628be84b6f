"""Live WebSocket connections: customers per conversation, agents' consoles. Push only.

Nothing here is the record: every event pushed was committed to the store first, and a client
that missed it (disconnected, restarted gateway) fetches it again by message id on reconnect.
"""
from __future__ import annotations

import logging
from typing import Any

from fastapi import WebSocket

from bot.gateway.agents import has_role
from bot.gateway.customer_view import customer_event
from bot.gateway.models import Agent
from bot.privacy.masking import masked

logger = logging.getLogger("kefu.gateway.hub")


def console_event(event: dict[str, Any]) -> dict[str, Any]:
    message = event.get("message")
    return {**event, "message": masked(message)} if isinstance(message, dict) else event


class Hub:
    def __init__(self) -> None:
        self.customers: dict[str, set[WebSocket]] = {}
        self.consoles: dict[WebSocket, Agent] = {}

    def add_customer(self, conversation_id: str, socket: WebSocket) -> None:
        self.customers.setdefault(conversation_id, set()).add(socket)

    def remove_customer(self, conversation_id: str, socket: WebSocket) -> None:
        self.customers.get(conversation_id, set()).discard(socket)

    async def to_customer(self, conversation_id: str, event: dict[str, Any]) -> None:
        """Push to the customer's sockets only what a customer may see (bot/gateway/customer_view.py)."""
        visible = customer_event(event)
        for socket in list(self.customers.get(conversation_id, ())):
            await self._send(socket, visible)

    async def to_consoles(self, event: dict[str, Any], assigned_agent_id: int | None = None,
                          everyone: bool = False) -> None:
        """Queue changes go to everyone; a conversation's messages to its agent and supervisors, with
        personal values masked as in the console's conversation view (console_detail.py)."""
        visible = console_event(event)
        for socket, agent in list(self.consoles.items()):
            if everyone or agent.id == assigned_agent_id or has_role(agent, "supervisor"):
                await self._send(socket, visible)

    async def to_supervisors(self, event: dict[str, Any]) -> None:
        """Alerts and supervision events: supervisors and admins only, masked like everything else."""
        visible = console_event(event)
        for socket, agent in list(self.consoles.items()):
            if has_role(agent, "supervisor"):
                await self._send(socket, visible)

    async def to_agent(self, agent_id: int, event: dict[str, Any]) -> None:
        """One agent's consoles only (a whisper, an offer, being taken over)."""
        visible = console_event(event)
        for socket, agent in list(self.consoles.items()):
            if agent.id == agent_id:
                await self._send(socket, visible)

    async def _send(self, socket: WebSocket, event: dict[str, Any]) -> None:
        try:
            await socket.send_json(event)
        except Exception as error:  # a closing socket: its owner will reconnect and catch up
            logger.debug("push failed: %s", error)
