"""The web chat's WebSocket: acks after commit, resend after reconnect without duplicates,
tokens, idle reminder and close, and a returning customer's linked session."""
from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from bot.gateway.app import create_app
from bot.gateway.idle import CLOSED_TEXT, REMINDER_TEXT, sweep_idle
from tests.bot.gateway.conftest import write_config
from tests.bot.gateway.rasa_standin import GREETING, RasaStandin


def test_ack_then_reply_and_a_resend_after_reconnect_is_not_duplicated(client: TestClient) -> None:
    with client.websocket_connect("/ws/chat?sender=w1") as socket:
        hello = socket.receive_json()
        assert hello["mode"] == "bot" and hello["messages"] == []
        socket.send_json({"type": "message", "client_id": "m1", "text": "<script>alert(1)</script>"})
        ack = socket.receive_json()
        assert ack["type"] == "ack" and ack["message"]["text"] == "<script>alert(1)</script>"
        reply = socket.receive_json()["message"]
    token = hello["token"]
    with client.websocket_connect(f"/ws/chat?sender=w1&token={token}&after={ack['message']['id']}") as socket:
        again = socket.receive_json()
        assert [m["id"] for m in again["messages"]] == [reply["id"]] and reply["text"] == GREETING
        socket.send_json({"type": "message", "client_id": "m1", "text": "<script>alert(1)</script>"})
        assert socket.receive_json()["message"]["id"] == ack["message"]["id"], "re-acked, not stored twice"
        socket.send_json({"type": "ping"})
        assert socket.receive_json() == {"type": "pong"}, "and not sent to the bot again"
    roles = [m["role"] for m in client.get(f"/api/conversations/{hello['conversation']}/messages",
                                           params={"token": token}).json()["messages"]]
    assert roles == ["customer", "bot"]


def test_someone_elses_conversation_needs_its_token(client: TestClient) -> None:
    with client.websocket_connect("/ws/chat?sender=w2") as socket:
        socket.receive_json()
    for query in ("sender=w2", "sender=w2&token=guess"):
        with client.websocket_connect(f"/ws/chat?{query}") as socket:
            with pytest.raises(WebSocketDisconnect) as closed:
                socket.receive_json()
            assert closed.value.code == 4403


def test_bad_frames_get_an_error_not_a_crash(client: TestClient) -> None:
    with client.websocket_connect("/ws/chat?sender=w3") as socket:
        socket.receive_json()
        socket.send_text("not json")
        assert socket.receive_json()["error"] == "bad_frame"
        socket.send_json({"type": "message", "client_id": "x", "text": "   "})
        assert socket.receive_json()["error"] == "empty_message"


def test_idle_reminder_then_close_then_a_new_linked_session(tmp_path: Path, rasa: RasaStandin) -> None:
    config = write_config(tmp_path, rasa.port, idle_reminder_minutes=0.002, idle_close_minutes=0.004)
    app = create_app(config)
    services = app.state.services
    with TestClient(app) as client:
        first = client.post("/api/chat", json={"sender": "idle", "message": "你好"}).json()
        asyncio.run(asyncio.sleep(0.15))
        assert asyncio.run(sweep_idle(services)) == (1, 0)
        assert asyncio.run(sweep_idle(services)) == (0, 0), "one reminder only"
        asyncio.run(asyncio.sleep(0.15))
        assert asyncio.run(sweep_idle(services)) == (0, 1)
        old = services.store.conversation(first["conversation"])
        assert old.mode == "closed"
        texts = [m.text for m in services.store.messages(old.id)]
        assert texts[-2:] == [REMINDER_TEXT, CLOSED_TEXT]
        with client.websocket_connect(f"/ws/chat?sender=idle&token={first['token']}") as socket:
            hello = socket.receive_json()
        assert hello["conversation"] != old.id and hello["mode"] == "bot"
        assert [m["text"] for m in hello["history"]][:2] == ["你好", GREETING]
        assert services.store.conversation(hello["conversation"]).previous_id == old.id
