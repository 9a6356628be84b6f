"""JSONL hand-off labels: `{"conversation": [customer messages...], "should_handoff": true|false}`
per line; optional `id` and `note` (why the label is what it is)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from eval.loaders import LoaderError, jsonl_rows

DEFAULT_LABELS = Path(__file__).resolve().parents[1] / "data" / "handoff_labels.jsonl"


@dataclass
class LabelledConversation:
    id: str
    conversation: list[str]
    should_handoff: bool
    note: str = ""


def load_handoff_labels(path: Path) -> list[LabelledConversation]:
    items = []
    for number, row in jsonl_rows(path, "hand-off label file", "--handoff"):
        messages = row.get("conversation") if isinstance(row, dict) else None
        if not isinstance(messages, list) or not messages or not all(isinstance(m, str) and m.strip() for m in messages):
            raise LoaderError(f"{path}:{number}: \"conversation\" must be a non-empty list of customer messages")
        if not isinstance(row.get("should_handoff"), bool):
            raise LoaderError(f"{path}:{number}: \"should_handoff\" must be true or false")
        items.append(LabelledConversation(str(row.get("id") or f"h{number}"), messages, row["should_handoff"],
                                          str(row.get("note") or "")))
    if not items:
        raise LoaderError(f"{path} has no labelled conversations")
    return items
