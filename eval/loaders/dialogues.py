"""Scripted multi-turn dialogues with per-turn expectations (the format is Kefu's own):

```yaml
dialogues:
- name: order status, verified by phone tail
  sender: u10002            # optional: who is talking (default: a new customer per dialogue)
  turns:
  - user: 帮我查一下订单      # what the customer types (required)
    intent: order_status    # expected top intent of this message (Rasa tracker)
    slots: {requested_slot: order_number}   # expected slot values after the turn
    contains: 订单号          # text (or list of texts) the bot's replies must contain
    not_contains: 抱歉        # text (or list) the replies must not contain
    cites: ship-delivery-time   # a citation with this doc_id (or list: any of them)
    action: action_show_order   # an action that ran during this turn
    handoff: false          # whether the conversation is handed to a person after this turn
```
Every key but `user` is optional; a turn without expectations only moves the dialogue on.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from eval.loaders import LoaderError

DEFAULT_DIALOGUES = Path(__file__).resolve().parents[1] / "data" / "dialogues"
CHECKS = ("intent", "slots", "contains", "not_contains", "cites", "action", "handoff")


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


@dataclass
class DialogueTurn:
    user: str
    intent: str | None = None
    slots: dict[str, Any] = field(default_factory=dict)
    contains: list[str] = field(default_factory=list)
    not_contains: list[str] = field(default_factory=list)
    cites: list[str] = field(default_factory=list)
    action: str | None = None
    handoff: bool | None = None


@dataclass
class Dialogue:
    name: str
    source: str
    turns: list[DialogueTurn]
    sender: str | None = None


def _turn(raw: Any, where: str) -> DialogueTurn:
    if not isinstance(raw, dict) or not str(raw.get("user") or "").strip():
        raise LoaderError(f"{where}: every turn needs `user:` (what the customer types)")
    unknown = sorted(set(raw) - {"user", *CHECKS})
    if unknown:
        raise LoaderError(f"{where}: unknown key(s) {unknown}; use user and {', '.join(CHECKS)}")
    if raw.get("slots") is not None and not isinstance(raw["slots"], dict):
        raise LoaderError(f"{where}: `slots` must be a mapping of slot name to expected value")
    if raw.get("handoff") is not None and not isinstance(raw["handoff"], bool):
        raise LoaderError(f"{where}: `handoff` must be true or false")
    return DialogueTurn(str(raw["user"]).strip(), raw.get("intent"), dict(raw.get("slots") or {}),
                        _as_list(raw.get("contains")), _as_list(raw.get("not_contains")),
                        _as_list(raw.get("cites")), raw.get("action"), raw.get("handoff"))


def load_dialogues(path: Path) -> list[Dialogue]:
    """Dialogues of one YAML file, or of every *.yml/*.yaml file in a folder."""
    if not path.exists():
        raise LoaderError(f"dialogue path {path} does not exist; give a YAML file or folder with --dialogues")
    files = sorted([*path.glob("*.yml"), *path.glob("*.yaml")]) if path.is_dir() else [path]
    dialogues = []
    for file in files:
        try:
            data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as error:
            raise LoaderError(f"{file}: not valid YAML ({str(error).splitlines()[0]})") from None
        for number, raw in enumerate(data.get("dialogues") or [], start=1):
            name = str(raw.get("name") or f"dialogue {number}")
            turns = [_turn(t, f"{file.name}: {name!r} turn {i}") for i, t in enumerate(raw.get("turns") or [], 1)]
            if not turns:
                raise LoaderError(f"{file.name}: {name!r} has no turns")
            dialogues.append(Dialogue(name, file.name, turns, str(raw["sender"]) if raw.get("sender") else None))
    if not dialogues:
        raise LoaderError(f"{path} holds no `dialogues:`")
    return dialogues
