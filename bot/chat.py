"""`kefu chat`: a terminal conversation with the running stack, through the gateway."""
from __future__ import annotations

import json
import uuid
from pathlib import Path

import httpx

from bot.config import KefuConfig
from bot.gateway.identity import sign_identity

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
    elif isinstance(custom, dict) and custom.get("citations"):
        sources = "; ".join(str(c.get("title") or c.get("doc_id")) for c in custom["citations"] if isinstance(c, dict))
        lines.append(f"  (来源: {sources})")
    elif custom:
        lines.append(f"  (custom: {json.dumps(custom, ensure_ascii=False)[:200]})")
    return "\n".join(lines)


def _token_file(config: KefuConfig) -> Path:
    return config.path(config.paths.var) / "run" / "chat-tokens.json"


def _remember_token(config: KefuConfig, sender: str, token: str) -> None:
    """Keep each sender's conversation token, so `kefu chat --sender X` can continue later."""
    path = _token_file(config)
    tokens = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    tokens[sender] = token
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(tokens), encoding="utf-8")


def _known_token(config: KefuConfig, sender: str) -> str | None:
    path = _token_file(config)
    return json.loads(path.read_text(encoding="utf-8")).get(sender) if path.is_file() else None


def chat_loop(config: KefuConfig, sender: str | None = None, account: str | None = None) -> int:
    """`account`: chat as that logged-in customer, with an identity token signed by this stack's
    secret (as the shop's site would sign it); otherwise as a guest named `sender`."""
    sender = sender or f"terminal-{uuid.uuid4().hex[:8]}"
    url = f"{config.url('gateway')}/api/chat"
    token = _known_token(config, sender)
    bot_name = config.persona.bot_name
    identity = sign_identity(config, account, minutes=12 * 60) if account else None
    who = f"logged-in customer {account}" if account else f"guest {sender}"
    print(f"Chatting as {who} through {url}. Type /quit to leave.")
    # our own stack on loopback: with tls set, the certificate names the public host, not 127.0.0.1
    verify = not (config.tls.enabled and config.host in ("127.0.0.1", "localhost", "::1"))
    with httpx.Client(timeout=config.gateway.rasa_timeout_s + 5, verify=verify) as client:
        while True:
            try:
                text = input("你 > ")
            except (EOFError, KeyboardInterrupt):
                print()
                return 0
            if text.strip() in EXIT_WORDS:
                return 0
            try:
                response = client.post(url, json={"sender": sender, "message": text,
                                                  **({"token": token} if token else {}),
                                                  **({"identity": identity} if identity else {})})
            except httpx.HTTPError as error:
                print(f"(the gateway at {url} is not reachable: {error}; is `kefu up` running?)")
                continue
            body = response.json()
            if body.get("token"):
                token = body["token"]
                _remember_token(config, sender, token)
            if response.status_code != 200:
                print(f"{bot_name} > {body.get('message', body)}")
                continue
            for message in body.get("messages", []):
                print(f"{bot_name} > {render_reply(message)}")
