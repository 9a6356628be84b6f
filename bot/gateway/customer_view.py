"""What a customer may see of a message: one allow-list for every customer-facing output.

The store keeps each message whole (the handoff payload with its summary of intents, tier and
slot values; fallback markers; a left-message flag), because agents and the console need it.
Whatever goes to a customer (the REST reply, the WebSocket's hello, acks and pushes, the
transcript API) passes through here first: text, buttons, an image, citations, a rating and the
agent's display name are kept, field by field; anything else is dropped, so an internal payload added tomorrow stays
internal by default.
"""
from __future__ import annotations

from typing import Any

from bot.gateway.models import Message

CITATION_FIELDS = ("title", "source", "link", "doc_id")
BUTTON_FIELDS = ("title", "payload")
MESSAGE_FIELDS = ("id", "conversation", "role", "text", "payload", "client_id", "created_at")
# what a customer-facing JSON object may never hold, anywhere (the tests' shared client checks this)
INTERNAL_KEYS = frozenset({"handoff", "summary", "problem_class", "trace", "knowledge_trace", "slots",
                           "intent", "fallback", "left_message", "agent_group", "priority"})


def _strings(item: Any, fields: tuple[str, ...]) -> dict[str, Any] | None:
    if not isinstance(item, dict):
        return None
    kept = {name: item.get(name) for name in fields if isinstance(item.get(name), str) or item.get(name) is None}
    return kept if any(kept.get(name) for name in fields) else None


def _list_of(items: Any, fields: tuple[str, ...]) -> list[dict[str, Any]]:
    if not isinstance(items, list):
        return []
    return [kept for item in items if (kept := _strings(item, fields)) is not None]


def customer_payload(payload: dict[str, Any] | None) -> dict[str, Any] | None:
    """The customer-visible part of a stored message payload, or None when nothing is."""
    if not isinstance(payload, dict):
        return None
    visible: dict[str, Any] = {}
    if buttons := _list_of(payload.get("buttons"), BUTTON_FIELDS):
        visible["buttons"] = buttons
    if isinstance(payload.get("image"), str):
        visible["image"] = payload["image"]
    custom = payload.get("custom")
    if isinstance(custom, dict) and (citations := _list_of(custom.get("citations"), CITATION_FIELDS)):
        visible["custom"] = {"citations": citations}
    if isinstance(payload.get("csat"), int):
        visible["csat"] = payload["csat"]
    if isinstance(payload.get("agent"), str):  # the display name of the agent who wrote it
        visible["agent"] = payload["agent"]
    return visible or None


def customer_message(message: Message) -> dict[str, Any]:
    """A stored message as its customer sees it (the console's view is `store.message_dict`)."""
    return {"id": message.id, "conversation": message.conversation_id, "role": message.role,
            "text": message.text, "payload": customer_payload(message.payload),
            "client_id": message.client_message_id, "created_at": message.created_at.isoformat() + "Z"}


def customer_event(event: dict[str, Any]) -> dict[str, Any]:
    """A pushed event with any message in it reduced to the customer's view."""
    message = event.get("message")
    if not isinstance(message, dict):
        return event
    visible = {name: message.get(name) for name in MESSAGE_FIELDS}
    visible["payload"] = customer_payload(message.get("payload"))
    return {**event, "message": visible}


def internal_keys_in(value: Any) -> set[str]:
    """Every internal key anywhere in a JSON value: empty for a reply fit for a customer."""
    if isinstance(value, dict):
        found = {key for key in value if key in INTERNAL_KEYS}
        for item in value.values():
            found |= internal_keys_in(item)
        return found
    if isinstance(value, list):
        return set().union(*(internal_keys_in(item) for item in value)) if value else set()
    return set()
