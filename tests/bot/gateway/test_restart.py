"""Kill the gateway process mid-conversation (SIGKILL), start it again: nothing is lost."""
from __future__ import annotations

import json
from pathlib import Path

import httpx
from websockets.sync.client import connect

from tests.bot.gateway.live_gateway import LiveGateway
from tests.bot.gateway.rasa_standin import GREETING, RasaStandin


def test_a_killed_gateway_loses_no_acknowledged_message(tmp_path: Path, rasa: RasaStandin) -> None:
    gateway = LiveGateway(tmp_path, rasa.port).start()
    ws_url = gateway.url.replace("http://", "ws://")
    try:
        with connect(f"{ws_url}/ws/chat?sender=restart") as socket:
            hello = json.loads(socket.recv())
            acked = []
            for number, text in enumerate(["你好", "我要转人工", "订单号A1001", "还要多久"]):
                socket.send(json.dumps({"type": "message", "client_id": f"r{number}", "text": text}))
                while True:
                    event = json.loads(socket.recv(timeout=10))
                    if event["type"] == "ack":
                        acked.append(event["message"]["id"])
                        break
            gateway.kill()
        gateway.start()
        token = hello["token"]
        body = httpx.get(f"{gateway.url}/api/conversations/{hello['conversation']}/messages",
                         params={"token": token}).json()
        assert body["mode"] == "queued"
        customer_ids = [m["id"] for m in body["messages"] if m["role"] == "customer"]
        assert customer_ids == acked
        assert GREETING in [m["text"] for m in body["messages"]]
        with connect(f"{ws_url}/ws/chat?sender=restart&token={token}&after={acked[-1]}") as socket:
            socket.send(json.dumps({"type": "message", "client_id": "r3", "text": "还要多久"}))  # unacked resend
            events = [json.loads(socket.recv(timeout=10)) for _ in range(2)]
        assert events[0]["type"] == "hello" and events[1]["message"]["id"] == acked[-1]
    finally:
        gateway.stop()
