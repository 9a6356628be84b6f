"""What the bot understood, from Rasa's tracker: each customer turn's intent, confidence and
entities, the bot's actions, and the slots that are set. Shown to the agent next to the transcript."""
from __future__ import annotations

from typing import Any


def understanding(tracker: dict[str, Any]) -> dict[str, Any]:
    turns: list[dict[str, Any]] = []
    for event in tracker.get("events") or []:
        kind = event.get("event")
        if kind == "user":
            parse = event.get("parse_data") or {}
            intent = parse.get("intent") or {}
            turns.append({"text": event.get("text"), "intent": intent.get("name"),
                          "confidence": round(float(intent.get("confidence") or 0), 3),
                          "entities": [{"entity": e.get("entity"), "value": e.get("value")}
                                       for e in parse.get("entities") or []],
                          "actions": []})
        elif kind == "action" and turns and event.get("name") not in ("action_listen", None):
            turns[-1]["actions"].append(event["name"])
    slots = {name: value for name, value in (tracker.get("slots") or {}).items()
             if value is not None and name != "requested_slot"}
    return {"turns": turns, "slots": slots, "paused": bool(tracker.get("paused")),
            "latest_action": (tracker.get("latest_action") or {}).get("action_name")}
