"""Talking to a running stack the way a customer does (gateway) and the way `rasa test` would
(Rasa's REST channel), with the tracker read back for intents, slots and executed actions."""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

SKIPPED_ACTIONS = {"action_listen", "action_session_start", "action_unlikely_intent"}


@dataclass
class TurnTiming:
    suite: str
    sender: str
    message: str
    seconds: float


@dataclass
class LiveStack:
    gateway: str
    rasa: str
    timings: list[TurnTiming] = field(default_factory=list)
    timeout_s: float = 60.0
    signer: Callable[[str], str] | None = None
    """Signs an identity token for an account, as the shop's site does for a logged-in customer
    (bot.gateway.identity.sign_identity); senders passed to `identify` are sent with one."""

    def __post_init__(self) -> None:
        self.gateway, self.rasa = self.gateway.rstrip("/"), self.rasa.rstrip("/")
        self.http = httpx.Client(timeout=self.timeout_s)
        self.tokens: dict[str, str] = {}
        self.conversations: dict[str, str] = {}  # sender -> the gateway's conversation id
        self.modes: dict[str, str] = {}  # sender -> the conversation's mode after the last turn
        self.identified: set[str] = set()

    def identify(self, account: str) -> None:
        """From now on, `account` talks as that logged-in customer (an identity token per message)."""
        if self.signer is None:
            raise RuntimeError("this LiveStack has no signer: identified customers need one")
        self.identified.add(account)

    def bot_sender(self, sender: str) -> str:
        """The id Rasa knows a gateway customer by (bot.gateway.models.Conversation.bot_sender)."""
        if sender in self.identified:
            return sender
        return f"guest-{self.conversations[sender]}"

    def chat(self, suite: str, sender: str, message: str) -> dict[str, Any]:
        """One customer message through the gateway's POST /api/chat; the turn's time is recorded."""
        body = {"sender": sender, "message": message, "token": self.tokens.get(sender)}
        if sender in self.identified and self.signer is not None:
            body["identity"] = self.signer(sender)
        started = time.perf_counter()
        response = self.http.post(f"{self.gateway}/api/chat", json={k: v for k, v in body.items() if v})
        seconds = time.perf_counter() - started
        response.raise_for_status()
        data = response.json()
        if data.get("token"):
            self.tokens[sender] = data["token"]
        if data.get("conversation"):
            self.conversations[sender] = data["conversation"]
        self.modes[sender] = str(data.get("mode") or "")
        self.timings.append(TurnTiming(suite, sender, message, seconds))
        return data

    def rasa_message(self, suite: str, sender: str, message: str) -> list[dict[str, Any]]:
        """One message straight to Rasa's REST channel (the action server still runs every action)."""
        started = time.perf_counter()
        response = self.http.post(f"{self.rasa}/webhooks/rest/webhook", json={"sender": sender, "message": message})
        self.timings.append(TurnTiming(suite, sender, message, time.perf_counter() - started))
        response.raise_for_status()
        return response.json()

    def tracker(self, sender: str) -> dict[str, Any]:
        response = self.http.get(f"{self.rasa}/conversations/{sender}/tracker", params={"include_events": "ALL"})
        response.raise_for_status()
        return response.json()

    def reset(self, sender: str) -> None:
        """Start a known sender's Rasa conversation afresh (replaying a story as a given customer).

        A `restart` event, not an empty `PUT .../tracker/events`: an SQL tracker store only ever
        appends, so replacing the events with none leaves the old ones in place."""
        self.http.post(f"{self.rasa}/conversations/{sender}/tracker/events",
                       json={"event": "restart"}).raise_for_status()

    def close(self) -> None:
        self.http.close()


def tracker_steps(tracker: dict[str, Any]) -> list[tuple[str, str]]:
    """("intent", name) per customer message and ("action", name) per executed action, in order."""
    steps = []
    for event in tracker.get("events", []):
        if event.get("event") == "user":
            steps.append(("intent", ((event.get("parse_data") or {}).get("intent") or {}).get("name") or ""))
        elif event.get("event") == "action" and event.get("name") not in SKIPPED_ACTIONS:
            steps.append(("action", event["name"]))
    return steps


def last_turn(tracker: dict[str, Any]) -> tuple[str | None, list[str]]:
    """The latest customer message's intent and the actions executed after it."""
    steps = tracker_steps(tracker)
    last_user = max((i for i, (kind, _) in enumerate(steps) if kind == "intent"), default=None)
    if last_user is None:
        return None, []
    return steps[last_user][1], [name for kind, name in steps[last_user + 1:] if kind == "action"]


def bot_text(response: dict[str, Any]) -> str:
    return "\n".join(m.get("text") or "" for m in response.get("messages", []))


def cited_docs(response: dict[str, Any]) -> list[str]:
    return [c.get("doc_id") for m in response.get("messages", [])
            for c in ((m.get("custom") or {}).get("citations") or []) if isinstance(c, dict)]


def handed_off(response: dict[str, Any]) -> bool:
    return response.get("mode") in ("queued", "human")
