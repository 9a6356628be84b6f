"""The agent console end to end in-process: login, roles, queue, claim, live chat, notes, transfer,
resolve with the bot resumed, the rating stored; supervisors' live view and take-over."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from bot.gateway.agents import create_agent
from bot.gateway.app import create_app
from tests.bot.gateway.conftest import AGENT_PASSWORD as PASSWORD
from tests.bot.gateway.conftest import login, write_config
from tests.bot.gateway.rasa_standin import CSAT_QUESTION, RasaStandin, guest


@pytest.fixture()
def client(tmp_path: Path, rasa: RasaStandin) -> Iterator[TestClient]:
    app = create_app(write_config(tmp_path, rasa.port, csat_intent="EXTERNAL_csat_request"))
    store = app.state.services.store
    create_agent(store, "a1", PASSWORD, "agent", "咨询", "小王")
    create_agent(store, "a2", PASSWORD, "agent", "售后", "小李")
    create_agent(store, "boss", PASSWORD, "supervisor", "", "张主管")
    with TestClient(app) as test_client:
        yield test_client



def test_wrong_password_and_missing_session_are_refused(client: TestClient) -> None:
    bad = client.post("/api/console/login", json={"username": "a1", "password": "nope"})
    assert bad.status_code == 401 and bad.json()["error"] == "bad_credentials"
    assert client.get("/api/console/queue").status_code == 401
    assert client.get("/api/console/queue", headers={"Authorization": "Bearer forged"}).status_code == 401


def test_roles_are_enforced(client: TestClient) -> None:
    agent = login(client, "a1")
    assert client.get("/api/console/conversations?scope=live", headers=agent).status_code == 403
    assert client.get("/api/console/ratings", headers=agent).status_code == 403
    assert client.get("/api/console/audit", headers=login(client, "boss")).status_code == 403
    created = client.post("/api/console/agents", headers=agent, json={"username": "x", "password": "12345678"})
    assert created.status_code == 403


def test_full_handoff_from_queue_to_rating(client: TestClient, rasa: RasaStandin) -> None:
    agent, other = login(client, "a1"), login(client, "a2")
    with client.websocket_connect("/ws/chat?sender=cust") as customer:
        hello = customer.receive_json()
        customer.send_json({"type": "message", "client_id": "c1", "text": "订单不对，转人工"})
        assert customer.receive_json()["type"] == "ack"
        assert customer.receive_json()["message"]["role"] == "bot"
        assert customer.receive_json()["message"]["payload"] is None, "the handoff payload stays in the gateway"
        assert customer.receive_json() == {"type": "mode", "mode": "queued", "queue": {"position": 1, "wait_minutes": 2}}
        assert "预计等待约2分钟" in customer.receive_json()["message"]["text"], "the wait, in words as well"
        conversation = hello["conversation"]

        queue = client.get("/api/console/queue", headers=agent).json()["queue"]
        assert [(q["conversation"], q["reason"]) for q in queue] == [(conversation, "customer_request")]
        assert client.get("/api/console/queue", headers=other).json()["queue"] == [], "售后 does not see 咨询"
        assert client.post(f"/api/console/conversations/{conversation}/claim", headers=other).status_code == 403

        detail = client.get(f"/api/console/conversations/{conversation}", headers=agent).json()
        assert detail["handoff"]["summary"] == "客户原话：「订单不对，转人工」"
        assert detail["bot"]["turns"][0]["intent"] == "request_human" and detail["bot"]["slots"] == {"order_number": "A1001"}
        assert detail["bot"]["paused"] is True

        assert client.post(f"/api/console/conversations/{conversation}/claim", headers=agent).status_code == 200
        assert customer.receive_json() == {"type": "mode", "mode": "human", "agent": "小王"}
        assert customer.receive_json()["message"]["text"] == "客服小王为您服务。"

        with client.websocket_connect("/ws/console", headers=agent) as console:
            assert console.receive_json()["type"] == "hello"
            console.send_json({"type": "reply", "conversation": conversation, "text": "<b>您好</b>，我来处理"})
            pushed = customer.receive_json()["message"]
            assert (pushed["role"], pushed["text"], pushed["payload"]) == ("agent", "<b>您好</b>，我来处理", {"agent": "小王"})
            assert console.receive_json()["type"] in ("message", "sent")
            customer.send_json({"type": "message", "client_id": "c2", "text": "好的谢谢"})
            assert customer.receive_json()["type"] == "ack"
            seen = [console.receive_json() for _ in range(2)]
            assert any(e.get("message", {}).get("text") == "好的谢谢" for e in seen)

        note = client.post(f"/api/console/conversations/{conversation}/notes", headers=agent, json={"text": "客户着急"})
        assert note.status_code == 200
        assert client.post(f"/api/console/conversations/{conversation}/resolve", headers=agent).status_code == 200
        assert customer.receive_json() == {"type": "mode", "mode": "bot"}
        assert customer.receive_json()["message"]["text"] == CSAT_QUESTION
        assert rasa.trackers[f"guest-{conversation}"]["paused"] is False, "the bot was resumed"
        customer.send_json({"type": "message", "client_id": "c3", "text": "5"})
        assert customer.receive_json()["type"] == "ack"
        assert customer.receive_json()["message"]["payload"] == {"csat": 5}

    ratings = client.get("/api/console/ratings", headers=login(client, "boss")).json()["ratings"]
    assert [(r["conversation"], r["score"]) for r in ratings] == [(conversation, 5)]
    detail = client.get(f"/api/console/conversations/{conversation}", headers=login(client, "boss")).json()
    assert [n["text"] for n in detail["notes"]] == ["客户着急"]
    roles = [m["role"] for m in detail["messages"]]
    assert roles == ["customer", "bot", "bot", "system", "system", "agent", "customer", "bot", "customer", "system"]


def test_supervisor_watches_live_bot_conversations_and_takes_over(client: TestClient, rasa: RasaStandin) -> None:
    first = client.post("/api/chat", json={"sender": "live1", "message": "你好"}).json()
    boss = login(client, "boss")
    live = client.get("/api/console/conversations?scope=live", headers=boss).json()["conversations"]
    assert [c["conversation"] for c in live] == [first["conversation"]]
    assert client.post(f"/api/console/conversations/{first['conversation']}/takeover", headers=boss).status_code == 200
    assert rasa.trackers[guest(first)]["paused"] is True
    after = client.post("/api/chat", json={"sender": "live1", "message": "在吗", "token": first["token"]}).json()
    assert after["mode"] == "human" and after["messages"] == []
    reply = client.post(f"/api/console/conversations/{first['conversation']}/messages", headers=boss, json={"text": "我是主管"})
    assert reply.status_code == 200 and reply.json()["payload"] == {"agent": "张主管"}


def test_transfer_moves_the_conversation_to_another_groups_queue(client: TestClient) -> None:
    body = client.post("/api/chat", json={"sender": "t1", "message": "转人工"}).json()
    agent, other = login(client, "a1"), login(client, "a2")
    client.post(f"/api/console/conversations/{body['conversation']}/claim", headers=agent)
    moved = client.post(f"/api/console/conversations/{body['conversation']}/transfer", headers=agent, json={"group": "售后"})
    assert moved.json() == {"conversation": body["conversation"], "group": "售后", "mode": "queued"}
    assert [q["conversation"] for q in client.get("/api/console/queue", headers=other).json()["queue"]] == [body["conversation"]]
    assert client.post(f"/api/console/conversations/{body['conversation']}/claim", headers=other).status_code == 200
