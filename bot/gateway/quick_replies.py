"""Quick replies (快捷回复 / 话术库): shared snippets from a YAML file (`desk.quick_replies`) and each
agent's own, typed as `/shortcut` in the reply box, with variables filled from the conversation:

- `{客户}`: the verified customer's name from the shop's records, else nothing (write "{客户}您好")
- `{订单号}`: the order number the bot understood in this conversation (its `order_number` slot)
- `{客服}`: the agent's display name

A variable that cannot be filled stays in the text, and the console points it out, so an agent never
sends a blank where a number should be. Each sent quick reply is counted per snippet and per agent.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.gateway.models import Agent
from bot.gateway.models_desk import QuickReply
from bot.gateway.store import Store

VARIABLE = re.compile(r"\{(客户|订单号|客服)\}")
SHORTCUT = re.compile(r"^[\w\u4e00-\u9fff-]{1,32}$")


class QuickReplyError(ValueError):
    """A quick reply or its file is wrong; the message says what to change."""


@dataclass(frozen=True)
class Rendered:
    text: str
    missing: list[str]


def check_reply(shortcut: str, title: str, text: str) -> None:
    if not SHORTCUT.match(shortcut or ""):
        raise QuickReplyError(f"快捷码 {shortcut!r} 只能用1–32个汉字、字母、数字、下划线或连字符（输入 /{shortcut or '退款'} 调用）")
    if not (title or "").strip() or len(title) > 64:
        raise QuickReplyError("标题不能为空，最多64个字")
    if not (text or "").strip() or len(text) > 2000:
        raise QuickReplyError("话术内容不能为空，最多2000个字")


def load_shared(path: Path) -> list[dict[str, str]]:
    """The shared quick replies of a YAML file: a list of {shortcut, title, text}."""
    try:
        items = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except (OSError, yaml.YAMLError) as error:
        raise QuickReplyError(f"{path}: cannot read the quick replies ({error})") from error
    if not isinstance(items, list):
        raise QuickReplyError(f"{path}: expected a list of quick replies with shortcut, title and text")
    for number, item in enumerate(items, 1):
        if not isinstance(item, dict) or set(item) - {"shortcut", "title", "text"}:
            raise QuickReplyError(f"{path}: item {number} must have only shortcut, title and text")
        try:
            check_reply(str(item.get("shortcut", "")), str(item.get("title", "")), str(item.get("text", "")))
        except QuickReplyError as error:
            raise QuickReplyError(f"{path}: item {number}: {error}") from None
    return [{key: str(item[key]) for key in ("shortcut", "title", "text")} for item in items]


def seed_shared(store: Store, path: Path) -> int:
    """Load the file's shared replies into an empty library (edits made in the console are kept)."""
    if store.shared_quick_reply_count():
        return 0
    items = load_shared(path)
    for item in items:
        store.add_quick_reply(QuickReply(owner_agent_id=None, **item))
    return len(items)


def render(text: str, values: dict[str, str | None]) -> Rendered:
    missing: list[str] = []

    def fill(match: re.Match[str]) -> str:
        value = values.get(match.group(1))
        if value is not None:
            return value
        missing.append(match.group(1))
        return match.group(0)

    return Rendered(VARIABLE.sub(fill, text), missing)


def reply_dict(reply: QuickReply, agent: Agent) -> dict[str, Any]:
    return {"id": reply.id, "shortcut": reply.shortcut, "title": reply.title, "text": reply.text,
            "shared": reply.owner_agent_id is None, "mine": reply.owner_agent_id == agent.id}
