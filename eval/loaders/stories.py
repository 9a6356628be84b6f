"""Rasa test stories (YAML `stories:` with `steps:`) turned into what a live replay needs: the
customer's turns, and the expected sequence of intents and actions.

Each step is one of `user` (+ `intent`), `intent` alone (replayed as `/intent`), `action`,
`active_loop`, `slot_was_set`, `or` (any of the listed intents), `checkpoint` (ignored). Slot
steps are kept as expectations for reporting but only intents and actions decide pass or fail,
as in `rasa test`. A story may carry `metadata: {sender: u10001}` to replay as a given customer
(the demo shop treats the sender as the order's owner).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from eval.loaders import LoaderError

REPO = Path(__file__).resolve().parents[2]
DEFAULT_STORIES = REPO / "eval" / "data" / "test_stories"
ANNOTATION = re.compile(r"\[([^\]]*)\](\([^)]*\)|\{[^}]*\})")


def plain_text(example: str) -> str:
    """Message text without entity annotations: '[HW1](order_number)x' -> 'HW1x'."""
    return ANNOTATION.sub(r"\1", example).strip()


@dataclass
class Expected:
    kind: str  # "intent" or "action"
    names: tuple[str, ...]

    def matches(self, kind: str, name: str) -> bool:
        return kind == self.kind and name in self.names

    def __str__(self) -> str:
        return f"{self.kind} {'|'.join(self.names)}"


@dataclass
class TestStory:
    name: str
    source: str
    messages: list[str]
    expected: list[Expected]
    slots: list[dict[str, Any]] = field(default_factory=list)
    sender: str | None = None


def _user_step(step: dict[str, Any], where: str) -> tuple[str, Expected]:
    intent = step.get("intent")
    if "user" in step:
        text = plain_text(str(step["user"]))
    elif intent:
        text = f"/{intent}"
    else:
        raise LoaderError(f"{where}: a user step needs `user:` text or an `intent:`")
    return text, Expected("intent", (str(intent),) if intent else ())


def parse_story(story: dict[str, Any], source: str) -> TestStory:
    name = str(story.get("story") or "unnamed story")
    where = f"{source}: story {name!r}"
    messages: list[str] = []
    expected: list[Expected] = []
    slots: list[dict[str, Any]] = []
    for step in story.get("steps") or []:
        if not isinstance(step, dict):
            raise LoaderError(f"{where}: every step must be a mapping, got {step!r}")
        if "user" in step or "intent" in step:
            text, intent = _user_step(step, where)
            messages.append(text)
            expected.append(intent)
        elif "action" in step:
            expected.append(Expected("action", (str(step["action"]),)))
        elif "or" in step:
            intents = tuple(str(s["intent"]) for s in step["or"] if isinstance(s, dict) and "intent" in s)
            if not intents:
                raise LoaderError(f"{where}: only `or:` of intents can be replayed")
            messages.append(f"/{intents[0]}")
            expected.append(Expected("intent", intents))
        elif "slot_was_set" in step:
            for item in step["slot_was_set"] or []:
                slots.append(item if isinstance(item, dict) else {str(item): True})
        elif not ({"active_loop", "checkpoint"} & set(step)):
            raise LoaderError(f"{where}: unknown step {sorted(step)}")
    if not messages:
        raise LoaderError(f"{where}: no user turn to replay")
    sender = (story.get("metadata") or {}).get("sender")
    return TestStory(name, source, messages, expected, slots, str(sender) if sender else None)


def load_stories(path: Path) -> list[TestStory]:
    """Every story of a YAML file, or of every *.yml/*.yaml file in a folder."""
    if not path.exists():
        raise LoaderError(f"stories path {path} does not exist; give a Rasa test-story file or folder with --stories")
    files = sorted([*path.glob("*.yml"), *path.glob("*.yaml")]) if path.is_dir() else [path]
    stories = []
    for file in files:
        try:
            data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as error:
            raise LoaderError(f"{file}: not valid YAML ({str(error).splitlines()[0]})") from None
        stories += [parse_story(story, file.name) for story in data.get("stories") or []]
    if not stories:
        raise LoaderError(f"{path} holds no `stories:`")
    return stories
