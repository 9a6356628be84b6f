"""The agent desk in-process against a Rasa stand-in: suggested answers from the real knowledge
index, the live watch's emotion and risk levels during human service with the supervisor's red
alert, quick replies with variables and usage counts, whispers, and taking over an agent's
conversation."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from bot.gateway.agents import create_agent
from bot.gateway.app import create_app
from tests.bot.gateway.conftest import AGENT_PASSWORD as PASSWORD
from tests.bot.gateway.conftest import login, write_config
from tests.bot.gateway.rasa_standin import RasaStandin

REPO = Path(__file__).resolve().parents[3]
ANGRY = "等了十几天了还不发货，客服也不理人，太过分了，气死我了"


@pytest.fixture()
def client(tmp_path: Path, rasa: RasaStandin, knowledge_paths: dict[str, str]) -> Iterator[TestClient]:
    app = create_app(write_config(tmp_path, rasa.port, paths=knowledge_paths,
                                  desk={"quick_replies": str(REPO / "desk" / "quick_replies.yml")}))
    store = app.state.services.store
    create_agent(store, "a1", PASSWORD, "agent", "咨询", "小王")
    create_agent(store, "boss", PASSWORD, "supervisor", "", "张主管")
    with TestClient(app) as test_client:
        assert app.state.services.suggester.warm_up()  # the app loads it in the background; wait for it here
        yield test_client



TOKENS: dict[str, str] = {}


def chat(client: TestClient, sender: str, text: str) -> dict:
    """A guest's message, in their own conversation (a guest continues it with its token)."""
    reply = client.post("/api/chat", json={"sender": sender, "message": text, "token": TOKENS.get(sender)})
    assert reply.status_code == 200, reply.text
    TOKENS.setdefault(sender, reply.json().get("token"))  # handed out in the first reply only
    return reply.json()


def served_conversation(client: TestClient, sender: str, agent: dict[str, str]) -> str:
    """A guest who asked for a person, claimed by `agent`."""
    conversation = chat(client, sender, "转人工")["conversation"]
    claimed = client.post(f"/api/console/conversations/{conversation}/claim", headers=agent)
    assert claimed.status_code == 200, claimed.text
    return conversation


def test_suggestions_follow_the_customers_latest_message(client: TestClient) -> None:
    agent = login(client, "a1")
    conversation = served_conversation(client, "desk-suggest", agent)
    chat(client, "desk-suggest", "退货寄回去以后，退款多久能到账？")
    shown = client.get(f"/api/console/conversations/{conversation}/suggestions", headers=agent).json()
    assert len(shown["items"]) == 3 and shown["problem"] is None
    assert any("1–3个工作日" in item["text"] for item in shown["items"]), shown
    assert all(item["title"] and item["source"] for item in shown["items"])  # each with its citation
    search = client.get("/api/console/knowledge", params={"q": "发票怎么开"}, headers=agent).json()
    assert any("发票" in item["title"] for item in search["items"]), search
    assert client.get("/api/console/knowledge", params={"q": " "}, headers=agent).status_code == 422


def test_an_angry_customer_during_human_service_alerts_the_supervisor(client: TestClient) -> None:
    agent, boss = login(client, "a1"), login(client, "boss")
    conversation = served_conversation(client, "desk-angry", agent)
    with client.websocket_connect("/ws/console", headers=boss) as supervisor_socket, \
            client.websocket_connect("/ws/console", headers=agent) as agent_socket:
        supervisor_socket.receive_json(), agent_socket.receive_json()  # hello
        chat(client, "desk-angry", "好的，谢谢")
        chat(client, "desk-angry", ANGRY)
        agent_events = [agent_socket.receive_json() for _ in range(6)]
        alerts = []
        while not alerts:
            event = supervisor_socket.receive_json()
            alerts += [event] if event["type"] == "alert" else []
    signals = [e["signal"] for e in agent_events if e["type"] == "signal"]
    assert [s["level"] for s in signals] == [1, 3], signals
    assert signals[1]["emotion"] == "愤怒" and signals[1]["calming"]  # the agent gets a line to calm with
    assert any(e["type"] == "suggestions" for e in agent_events)
    assert alerts[0]["conversation"] == conversation and alerts[0]["level"] == 3
    detail = client.get(f"/api/console/conversations/{conversation}", headers=agent).json()
    assert sorted(s["level"] for s in detail["signals"].values()) == [1, 3]
    board = client.get("/api/console/board", headers=boss).json()["conversations"]
    row = next(r for r in board if r["conversation"] == conversation)
    assert row["level"] == 3 and row["agent"] == "小王" and row["mode"] == "human"
    assert client.get("/api/console/board", headers=agent).status_code == 403  # supervisors only


def test_a_risk_word_while_queued_is_red_too(client: TestClient) -> None:
    boss = login(client, "boss")
    conversation = chat(client, "desk-lawyer", "转人工")["conversation"]
    chat(client, "desk-lawyer", "再不处理我就请律师起诉你们")
    board = client.get("/api/console/board", headers=boss).json()["conversations"]
    row = next(r for r in board if r["conversation"] == conversation)
    assert row["mode"] == "queued" and row["level"] == 3 and row["risk"] and row["waiting_seconds"] is not None


def test_quick_replies_fill_variables_and_count_their_use(client: TestClient) -> None:
    agent, boss = login(client, "a1"), login(client, "boss")
    chat(client, "desk-quick", "我的订单还没到")  # the bot understood the order number (the stand-in's A1001)
    conversation = served_conversation(client, "desk-quick", agent)
    replies = client.get("/api/console/quick-replies", headers=agent).json()["quick_replies"]
    by_shortcut = {r["shortcut"]: r for r in replies}
    assert {"问候", "查单", "退款"} <= set(by_shortcut) and by_shortcut["问候"]["shared"]
    greeting = client.post(f"/api/console/quick-replies/{by_shortcut['问候']['id']}/render",
                           json={"conversation": conversation}, headers=agent).json()
    assert greeting["text"].startswith("您好，我是客服小王") and greeting["missing"] == []
    order = client.post(f"/api/console/quick-replies/{by_shortcut['查单']['id']}/render",
                        json={"conversation": conversation}, headers=agent).json()
    assert "A1001" in order["text"] and order["missing"] == []
    sent = client.post(f"/api/console/conversations/{conversation}/messages",
                       json={"text": greeting["text"], "quick_reply": by_shortcut["问候"]["id"]}, headers=agent)
    assert sent.status_code == 200
    own = client.post("/api/console/quick-replies", json={"shortcut": "稍等", "title": "稍等", "text": "请稍等，{客服}马上回来"},
                      headers=agent).json()
    assert own["mine"] and not own["shared"]
    assert client.post("/api/console/quick-replies", json={"shortcut": "x", "title": "t", "text": "共享", "shared": True},
                       headers=agent).status_code == 403  # shared snippets are a supervisor's
    assert client.post("/api/console/quick-replies", json={"shortcut": "a b", "title": "t", "text": "x"},
                       headers=agent).status_code == 422
    usage = client.get("/api/console/quick-replies/usage", headers=boss).json()["usage"]
    assert usage[0]["shortcut"] == "问候" and usage[0]["total"] == 1 and usage[0]["by_agent"] == {"小王": 1}
    assert client.delete(f"/api/console/quick-replies/{by_shortcut['问候']['id']}", headers=agent).status_code == 403


def test_supervisor_whispers_then_takes_over_an_agents_conversation(client: TestClient) -> None:
    agent, boss = login(client, "a1"), login(client, "boss")
    conversation = served_conversation(client, "desk-takeover", agent)
    with client.websocket_connect("/ws/console", headers=agent) as agent_socket:
        agent_socket.receive_json()
        whispered = client.post(f"/api/console/conversations/{conversation}/whisper",
                                json={"text": "先道歉，再给补偿券"}, headers=boss)
        assert whispered.status_code == 200, whispered.text
        event = agent_socket.receive_json()
        assert event["type"] == "whisper" and event["text"] == "先道歉，再给补偿券" and event["from"] == "张主管"
        taken = client.post(f"/api/console/conversations/{conversation}/takeover", headers=boss)
        assert taken.status_code == 200 and taken.json()["from_agent"] is not None
        told = agent_socket.receive_json()
        while told["type"] != "taken_over":
            told = agent_socket.receive_json()
        assert told["by"] == "张主管"
    chat(client, "desk-takeover", "还在吗")
    history = client.get(f"/api/conversations/{conversation}/messages", params={"token": TOKENS["desk-takeover"]})
    assert history.status_code == 200 and "还在吗" in history.text
    assert "先道歉" not in history.text  # a whisper never reaches the customer
    detail = client.get(f"/api/console/conversations/{conversation}", headers=boss).json()
    boss_id = client.get("/api/console/me", headers=boss).json()["id"]
    assert detail["assigned_agent"] == boss_id and detail["whispers"][0]["text"] == "先道歉，再给补偿券"
    assert client.post(f"/api/console/conversations/{conversation}/messages", json={"text": "我来"},
                       headers=agent).status_code == 403  # no longer the agent's: not even visible
    assert client.post(f"/api/console/conversations/{conversation}/messages", json={"text": "我是主管，我来处理"},
                       headers=boss).status_code == 200
    actions = [entry.action for entry in client.app.state.services.store.audit_log(conversation)]
    assert "whisper" in actions and "took_over" in actions
