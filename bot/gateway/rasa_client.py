"""A small async client for Rasa's REST channel and HTTP API."""
from __future__ import annotations

from typing import Any
from urllib.parse import quote

import httpx


class RasaUnavailable(RuntimeError):
    """Rasa did not answer in time or answered with an error."""


class RasaClient:
    def __init__(self, base_url: str, timeout_s: float) -> None:
        self.base_url = base_url.rstrip("/")
        self._http = httpx.AsyncClient(timeout=timeout_s)

    async def send_message(self, sender: str, text: str) -> list[dict[str, Any]]:
        """Deliver one customer message; return the bot's replies in Rasa's REST format."""
        try:
            response = await self._http.post(
                f"{self.base_url}/webhooks/rest/webhook", json={"sender": sender, "message": text}
            )
            response.raise_for_status()
            replies = response.json()
        except (httpx.HTTPError, ValueError) as error:
            raise RasaUnavailable(f"{type(error).__name__}: {error}") from error
        if not isinstance(replies, list):
            raise RasaUnavailable(f"unexpected REST channel answer: {replies!r:.200}")
        return replies

    async def tracker(self, sender: str) -> dict[str, Any]:
        """The conversation as Rasa understood it: events with intents and confidences, slots."""
        return await self._api("GET", f"/conversations/{quote(sender, safe='')}/tracker")

    async def append_event(self, sender: str, event: str) -> None:
        """E.g. `pause` when the gateway hands off on its own, `resume` when an agent is done."""
        await self._api("POST", f"/conversations/{quote(sender, safe='')}/tracker/events", {"event": event})

    async def trigger_intent(self, sender: str, intent: str) -> list[dict[str, Any]]:
        """Make the bot react to an external intent; returns what it says (Rasa's `messages`)."""
        answer = await self._api("POST", f"/conversations/{quote(sender, safe='')}/trigger_intent", {"name": intent})
        return list(answer.get("messages") or [])

    async def _api(self, method: str, path: str, body: Any = None) -> Any:
        try:
            response = await self._http.request(method, f"{self.base_url}{path}", json=body)
            response.raise_for_status()
            return response.json()
        except (httpx.HTTPError, ValueError) as error:
            raise RasaUnavailable(f"{method} {path}: {type(error).__name__}: {error}") from error

    async def is_up(self) -> bool:
        try:
            response = await self._http.get(f"{self.base_url}/", timeout=2)
            return response.status_code == 200
        except httpx.HTTPError:
            return False

    async def close(self) -> None:
        await self._http.aclose()
