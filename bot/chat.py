"""`kefu chat`: a terminal conversation with the running stack, through the gateway."""
from __future__ import annotations

import json
import uuid

import httpx

from bot.config import KefuConfig

EXIT_WORDS = {"/quit", "/exit", "/bye"}


def render_reply(message: dict[str, object]) -> str:
    """One bot message as terminal text: text, buttons as a numbered list, custom payloads tagged."""
    lines: list[str] = []
    if message.get("text"):
        lines.append(str(message["text"]))
    for number, button in enumerate(message.get("buttons") or [], start=1):  # type: ignore[arg-type]
        lines.append(f"  [{number}] {button.get('title')}")
    custom = message.get("custom")
    if isinstance(custom, dict) and "handoff" in custom:
        handoff = custom["handoff"]
        lines.append(f"  (转人工: {handoff.get('reason')}, 优先级 {handoff.get('priority')})")
    elif custom:
        lines.append(f"  (custom: {json.dumps(custom, ensure_ascii=False)[:200]})")
    return "\n".join(lines)


def chat_loop(config: KefuConfig, sender: str | None = None) -> int:
    sender = sender or f"terminal-{uuid.uuid4().hex[:8]}"
    url = f"{config.url('gateway')}/api/chat"
    print(f"Chatting as {sender} through {url}. Type /quit to leave.")
    with httpx.Client(timeout=config.gateway.rasa_timeout_s + 5) as client:
        while True:
            try:
                text = input("你 > ")
            except (EOFError, KeyboardInterrupt):
                print()
                return 0
            if text.strip() in EXIT_WORDS:
                return 0
            try:
                response = client.post(url, json={"sender": sender, "message": text})
            except httpx.HTTPError as error:
                print(f"(the gateway at {url} is not reachable: {error}; is `kefu up` running?)")
                continue
            body = response.json()
            if response.status_code != 200:
                print(f"小优 > {body.get('message', body)}")
                continue
            for message in body.get("messages", []):
                print(f"小优 > {render_reply(message)}")
