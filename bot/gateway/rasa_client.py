"""A small async client for Rasa's REST channel and HTTP API."""
from __future__ import annotations

from typing import Any

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

    async def is_up(self) -> bool:
        try:
            response = await self._http.get(f"{self.base_url}/", timeout=2)
            return response.status_code == 200
        except httpx.HTTPError:
            return False

    async def close(self) -> None:
        await self._http.aclose()
