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
        codes = [client.post("/api/chat", json={"sender": "flood", "message": f"hi {i}"}).status_code for i in range(5)]
        assert codes == [200, 200, 200, 429, 429]
        refused = client.post("/api/chat", json={"sender": "flood", "message": "hi"}).json()
        assert refused["error"] == "too_many_messages"
        assert client.post("/api/chat", json={"sender": "calm", "message": "hi"}).status_code == 200


def test_oversized_websocket_frames_are_refused(client: TestClient) -> None:
    with client.websocket_connect("/ws/chat?sender=big") as socket:
        socket.receive_json()
        socket.send_text("x" * 20_000)
        assert socket.receive_json()["error"] == "frame_too_large"
        socket.send_json({"type": "message", "client_id": "1", "text": "退" * 2001})
        assert socket.receive_json()["error"] == "message_too_long"
