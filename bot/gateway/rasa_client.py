"""A small async client for Rasa's REST channel and HTTP API, over one or several Rasa processes.

With several (`rasa.workers` in kefu.yml), every call about a conversation goes to the process its
sender hashes to, always the same one. Each process keeps its own in-memory lock store, which is
then enough: no two processes ever handle the same conversation, so Rasa's multi-worker
requirement of a shared Redis lock store does not arise. The tracker store is shared.
"""
from __future__ import annotations

import zlib
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

import httpx


class RasaUnavailable(RuntimeError):
    """Rasa did not answer in time or answered with an error."""


def shard_of(sender: str, shards: int) -> int:
    """The Rasa process that owns a conversation: stable across restarts and gateway processes
    (CRC-32 of the sender id, unlike Python's salted `hash`)."""
    return zlib.crc32(sender.encode("utf-8")) % shards


class RasaClient:
    def __init__(self, base_urls: str | Sequence[str], timeout_s: float) -> None:
        urls = [base_urls] if isinstance(base_urls, str) else list(base_urls)
        if not urls:
            raise ValueError("RasaClient needs at least one Rasa URL")
        self.base_urls = [url.rstrip("/") for url in urls]
        self._http = httpx.AsyncClient(timeout=timeout_s)

    def base_url_for(self, sender: str) -> str:
        return self.base_urls[shard_of(sender, len(self.base_urls))]

    async def send_message(self, sender: str, text: str) -> list[dict[str, Any]]:
        """Deliver one customer message; return the bot's replies in Rasa's REST format."""
        try:
            response = await self._http.post(
                f"{self.base_url_for(sender)}/webhooks/rest/webhook", json={"sender": sender, "message": text}
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
        return await self._api(sender, "GET", f"/conversations/{quote(sender, safe='')}/tracker")

    async def requested_slot(self, sender: str) -> str | None:
        """The slot a running form asks the customer for, or None (no form, or Rasa unreachable)."""
        try:
            tracker = await self._api(sender, "GET", f"/conversations/{quote(sender, safe='')}/tracker"
                                                      "?include_events=NONE")
        except RasaUnavailable:
            return None
        if not isinstance(tracker, dict) or not (tracker.get("active_loop") or {}).get("name"):
            return None
        slot = (tracker.get("slots") or {}).get("requested_slot")
        return str(slot) if slot else None

    async def append_event(self, sender: str, event: str) -> None:
        """E.g. `pause` when the gateway hands off on its own, `resume` when an agent is done."""
        await self._api(sender, "POST", f"/conversations/{quote(sender, safe='')}/tracker/events", {"event": event})

    async def resume(self, sender: str) -> None:
        """Un-pause the bot: `resume`, then `action_listen`. A handoff pauses the tracker right after
        the handoff action, so without the listen the customer's next message follows that action
        instead of a listen, no rule matches it, and RulePolicy's core fallback answers it."""
        await self._api(sender, "POST", f"/conversations/{quote(sender, safe='')}/tracker/events",
                        [{"event": "resume"}, {"event": "action", "name": "action_listen"}])

    async def trigger_intent(self, sender: str, intent: str) -> list[dict[str, Any]]:
        """Make the bot react to an external intent; returns what it says (Rasa's `messages`)."""
        answer = await self._api(sender, "POST", f"/conversations/{quote(sender, safe='')}/trigger_intent",
                                 {"name": intent})
        return list(answer.get("messages") or [])

    async def _api(self, sender: str, method: str, path: str, body: Any = None) -> Any:
        try:
            response = await self._http.request(method, f"{self.base_url_for(sender)}{path}", json=body)
            response.raise_for_status()
            return response.json()
        except (httpx.HTTPError, ValueError) as error:
            raise RasaUnavailable(f"{method} {path}: {type(error).__name__}: {error}") from error

    async def is_up(self) -> bool:
        """True when every Rasa process answers."""
        for url in self.base_urls:
            try:
                response = await self._http.get(f"{url}/", timeout=2)
            except httpx.HTTPError:
                return False
            if response.status_code != 200:
                return False
        return True

    async def close(self) -> None:
        await self._http.aclose()
