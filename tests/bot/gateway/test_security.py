"""Input limits and the per-sender rate limit."""
from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from bot.gateway.app import create_app
from tests.bot.gateway.conftest import write_config
from tests.bot.gateway.rasa_standin import RasaStandin


def test_a_sender_that_floods_is_slowed_down_others_are_not(tmp_path: Path, rasa: RasaStandin) -> None:
    config = write_config(tmp_path, rasa.port, rate_limit_per_minute=3)
    with TestClient(create_app(config)) as client:
        token = client.post("/api/chat", json={"sender": "flood", "message": "hi 0"}).json()["token"]
        codes = [client.post("/api/chat", json={"sender": "flood", "message": f"hi {i}", "token": token}).status_code
                 for i in range(1, 5)]
        assert codes == [200, 200, 429, 429]
        refused = client.post("/api/chat", json={"sender": "flood", "message": "hi", "token": token}).json()
        assert refused["error"] == "too_many_messages"
        assert client.post("/api/chat", json={"sender": "calm", "message": "hi"}).status_code == 200


def test_oversized_websocket_frames_are_refused(client: TestClient) -> None:
    with client.websocket_connect("/ws/chat?sender=big") as socket:
        socket.receive_json()
        socket.send_text("x" * 20_000)
        assert socket.receive_json()["error"] == "frame_too_large"
        socket.send_json({"type": "message", "client_id": "1", "text": "退" * 2001})
        assert socket.receive_json()["error"] == "message_too_long"


def test_continuing_someone_elses_conversation_needs_its_token(client: TestClient) -> None:
    first = client.post("/api/chat", json={"sender": "owner-7", "message": "查订单"}).json()
    assert first["token"]
    without = client.post("/api/chat", json={"sender": "owner-7", "message": "把地址改成我家"})
    assert without.status_code == 401 and without.json()["error"] == "missing_token"
    wrong = client.post("/api/chat", json={"sender": "owner-7", "message": "hi", "token": "guess"})
    assert wrong.status_code == 403 and wrong.json()["error"] == "wrong_token"
    transcript = client.get(f"/api/conversations/{first['conversation']}/messages",
                            params={"token": first["token"]}).json()
    texts = [m.get("text") for m in transcript["messages"]]
    assert "把地址改成我家" not in texts and "hi" not in texts, "refused messages never enter the conversation"
    assert client.post("/api/chat", json={"sender": "owner-7", "message": "谢谢",
                                          "token": first["token"]}).status_code == 200
