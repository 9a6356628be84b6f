"""Shared fixtures: a real shop database in tmp_path, the real domain, and SDK trackers."""
import asyncio
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest
import yaml
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.shop.repository import ShopRepository
from actions.store import shop_repository

REPO = Path(__file__).resolve().parents[2]
ANONYMOUS = "web-visitor-1"


@pytest.fixture
def shop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ShopRepository:
    """The repository the actions use, on a fresh SQLite file seeded for today."""
    monkeypatch.setenv("KEFU_SHOP_DB", str(tmp_path / "shop.db"))
    return shop_repository()


@pytest.fixture(scope="session")
def knowledge_index() -> None:
    """The demo knowledge base indexed where kefu.yml says, as `kefu index` does: the action
    server only loads an index (serving never writes one)."""
    from bot.config import load_config
    from bot.knowledge_index import build_knowledge_index

    build_knowledge_index(load_config(REPO / "kefu.yml"), show_progress=False)


@pytest.fixture(scope="session")
def domain() -> Dict[str, Any]:
    return yaml.safe_load((REPO / "domain.yml").read_text(encoding="utf-8"))


def make_tracker(text: str = "", intent: str = "inform", sender_id: str = ANONYMOUS,
                 slots: Optional[Dict[str, Any]] = None, entities: Optional[List[Dict]] = None,
                 history: Optional[List[Dict[str, Any]]] = None,
                 candidates: Optional[Dict[str, Any]] = None,
                 active_loop: Optional[str] = None) -> Tracker:
    """A tracker whose last user turn is `text`; `candidates` are freshly extracted slot values
    appended after it, the way Rasa's FormAction hands them to a validation action."""
    latest = {"text": text, "intent": {"name": intent, "confidence": 0.9},
              "entities": entities or []}
    events = list(history or []) + [{"event": "user", "text": text, "parse_data": latest}]
    events += [{"event": "slot", "name": name, "value": value}
               for name, value in (candidates or {}).items()]
    all_slots = {**(slots or {}), **(candidates or {})}
    return Tracker(sender_id, all_slots, latest, events, False, None,
                   {"name": active_loop} if active_loop else {}, "action_listen")


def user_turn(text: str, intent: str) -> Dict[str, Any]:
    return {"event": "user", "text": text,
            "parse_data": {"text": text, "intent": {"name": intent}, "entities": []}}


def run_action(action: Action, tracker: Tracker, domain: Dict[str, Any]):
    """Run an action the way the action server does; return (messages, events)."""
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, domain))
    return dispatcher.messages, events


def promised_tickets(messages: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """The ticket requests (bot/tickets.py) an action sent beside its words."""
    return [m["custom"]["ticket"] for m in messages if isinstance(m.get("custom"), dict) and "ticket" in m["custom"]]


def texts(messages: List[Dict[str, Any]]) -> str:
    return "\n".join(message.get("text") or "" for message in messages)


def slot_events(events: List[Dict[str, Any]]) -> Dict[str, Any]:
    return {event["name"]: event["value"] for event in events if event.get("event") == "slot"}
