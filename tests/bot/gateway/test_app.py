"""The gateway app in-process, with nothing listening where Rasa should be (a real outage)."""
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from bot.config import load_config
from bot.gateway.app import BOT_UNAVAILABLE_TEXT, create_app, widget_page
from bot.ports import free_port

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture()
def client(tmp_path: Path) -> TestClient:
    config_file = tmp_path / "kefu.yml"
    config_file.write_text(
        f"ports: {{rasa: {free_port()}, gateway: {free_port()}, actions: {free_port()}}}\n"
        "gateway: {max_message_chars: 50, rasa_timeout_s: 2, seed_demo_agents: false}\n",
        encoding="utf-8",
    )
    with TestClient(create_app(load_config(config_file))) as test_client:
        yield test_client


def test_health_reports_rasa_unreachable(client: TestClient) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "rasa_reachable": False}


def test_unreachable_bot_gets_a_polite_fallback_not_an_error(client: TestClient) -> None:
    response = client.post("/api/chat", json={"sender": "c1", "message": "我的订单到哪了"})
    assert response.status_code == 200
    body = response.json()
    conversation, token = body.pop("conversation"), body.pop("token")
    assert len(conversation) == 32 and len(token) >= 32
    assert body == {"sender": "c1", "messages": [{"text": BOT_UNAVAILABLE_TEXT}], "degraded": True, "mode": "bot"}
    again = client.post("/api/chat", json={"sender": "c1", "message": "还在吗", "token": token}).json()
    assert again["conversation"] == conversation and "token" not in again, "the token is given only once"


@pytest.mark.parametrize("message", ["", "   ", "\x00\x01\x02"])
def test_empty_or_binary_message_is_refused_clearly(client: TestClient, message: str) -> None:
    response = client.post("/api/chat", json={"sender": "c1", "message": message})
    assert response.status_code == 422
    assert response.json() == {"error": "empty_message", "message": "消息是空的，请输入您的问题。"}


def test_huge_message_is_refused_with_the_limit(client: TestClient) -> None:
    response = client.post("/api/chat", json={"sender": "c1", "message": "退" * 51})
    assert response.status_code == 413
    assert response.json()["error"] == "message_too_long"
    assert "最多 50 个字" in response.json()["message"]


def test_malformed_request_names_the_field(client: TestClient) -> None:
    response = client.post("/api/chat", json={"sender": "c1"})
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "invalid_request"
    assert "message" in body["message"]
    assert "Traceback" not in response.text


def test_a_new_guest_without_a_sender_gets_one_from_the_gateway(client: TestClient) -> None:
    body = client.post("/api/chat", json={"message": "你好"}).json()
    assert body["sender"].startswith("web-") and body["token"]
    again = client.post("/api/chat", json={"sender": body["sender"], "message": "在吗", "token": body["token"]})
    assert again.json()["conversation"] == body["conversation"]


def test_non_json_body_is_refused_without_a_stack_trace(client: TestClient) -> None:
    response = client.post("/api/chat", content=b"\x89PNG\r\n\x1a\n", headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert response.json()["error"] == "unreadable_body"
    assert "Traceback" not in response.text


def test_unknown_path_answers_in_the_same_json_shape(client: TestClient) -> None:
    response = client.get("/nope")
    assert response.status_code == 404
    assert response.json() == {"error": "http_error", "message": "Not Found"}


def test_the_chat_page_is_titled_from_the_persona_not_from_code(client: TestClient, tmp_path: Path) -> None:
    assert "<title>在线客服</title>" in client.get("/").text  # no persona configured: a neutral title
    assert "<title>好物优选 · 在线客服</title>" in widget_page(load_config(REPO / "kefu.yml"))  # the demo's
    config_file = tmp_path / "persona.yml"
    config_file.write_text("persona: {company: '<b>Acme</b>'}\n", encoding="utf-8")
    page = widget_page(load_config(config_file))
    assert "<h1>&lt;b&gt;Acme&lt;/b&gt; · 在线客服</h1>" in page and "{{title}}" not in page
