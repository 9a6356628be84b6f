"""Attacks on the agent console (bot/gateway/console_guard.py): each is refused and audited."""
from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from bot.gateway.agents import AgentError, create_agent
from bot.gateway.app import create_app
from bot.gateway.console_guard import MAX_FAILURES_PER_ACCOUNT, password_problem
from tests.bot.gateway.conftest import write_config
from tests.bot.gateway.rasa_standin import RasaStandin

PASSWORD = "correct horse 7"


@pytest.fixture()
def client(tmp_path: Path, rasa: RasaStandin) -> Iterator[TestClient]:
    app = create_app(write_config(tmp_path, rasa.port))
    create_agent(app.state.services.store, "a1", PASSWORD, "agent", "咨询", "小王")
    create_agent(app.state.services.store, "root", PASSWORD, "admin", "", "管理员")
    with TestClient(app) as test_client:
        yield test_client


def actions(client: TestClient, action: str) -> list[str]:
    return [e.actor for e in client.app.state.services.store.audit_log() if e.action == action]


def test_session_cookies_are_httponly_strict_and_secure_over_https(client: TestClient) -> None:
    plain = client.post("/api/console/login", json={"username": "a1", "password": PASSWORD})
    session = next(c for c in plain.headers.get_list("set-cookie") if c.startswith("kefu_session="))
    assert "HttpOnly" in session and "SameSite=strict" in session and "Secure" not in session
    tls = TestClient(client.app, base_url="https://testserver")
    secure = tls.post("/api/console/login", json={"username": "a1", "password": PASSWORD})
    cookies = secure.headers.get_list("set-cookie")
    assert all("Secure" in c for c in cookies) and len(cookies) == 2, cookies
    csrf = next(c for c in cookies if c.startswith("kefu_csrf="))
    assert "HttpOnly" not in csrf, "the console's own page must read it to send it back"


def test_a_cookie_session_needs_the_csrf_header_to_change_anything(client: TestClient) -> None:
    body = client.post("/api/console/login", json={"username": "a1", "password": PASSWORD}).json()
    assert client.get("/api/console/me").status_code == 200, "reading needs no header"
    forged = client.post("/api/console/presence", json={"presence": "away"})  # what a hostile page could make
    assert forged.status_code == 403 and forged.json()["error"] == "csrf"
    assert client.post("/api/console/presence", json={"presence": "away"},
                       headers={"X-Kefu-CSRF": "guessed"}).status_code == 403
    assert actions(client, "csrf_refused") == ["a1", "a1"]
    ok = client.post("/api/console/presence", json={"presence": "away"}, headers={"X-Kefu-CSRF": body["csrf"]})
    assert ok.status_code == 200 and ok.json()["presence"] == "away"
    client.cookies.clear()
    bearer = {"Authorization": f"Bearer {body['token']}"}
    assert client.post("/api/console/presence", json={"presence": "online"}, headers=bearer).status_code == 200


def test_repeated_failed_logins_lock_the_account_even_for_the_right_password(client: TestClient) -> None:
    for _ in range(MAX_FAILURES_PER_ACCOUNT):
        assert client.post("/api/console/login", json={"username": "a1", "password": "guess"}).status_code == 401
    locked = client.post("/api/console/login", json={"username": "a1", "password": PASSWORD})
    assert locked.status_code == 429 and locked.json()["error"] == "too_many_attempts"
    assert actions(client, "login_failed") == ["a1"] * MAX_FAILURES_PER_ACCOUNT
    assert actions(client, "login_locked") == ["a1"]
    assert client.post("/api/console/login", json={"username": "root", "password": PASSWORD}).status_code == 200, \
        "the lock is per account (and per address only after many more failures)"


def test_weak_passwords_are_refused_with_the_reason(client: TestClient) -> None:
    for weak, reason in (("short1", "at least"), ("onlyletterslong", "two kinds"), ("a1-is-my-password", "username"),
                         ("Password123", "too common")):
        assert reason in (password_problem("a1", weak) or ""), weak
    with pytest.raises(AgentError, match="at least"):
        create_agent(client.app.state.services.store, "a3", "short1")
    login = client.post("/api/console/login", json={"username": "root", "password": PASSWORD}).json()
    made = client.post("/api/console/agents", headers={"Authorization": f"Bearer {login['token']}"},
                       json={"username": "a4", "password": "12345678901"})
    assert made.status_code == 422 and "two kinds" in made.json()["message"]


def test_a_console_websocket_from_another_origin_is_refused(client: TestClient) -> None:
    login = client.post("/api/console/login", json={"username": "a1", "password": PASSWORD})
    assert login.status_code == 200
    with pytest.raises(WebSocketDisconnect) as refused:
        with client.websocket_connect("/ws/console", headers={"origin": "https://evil.example"}) as socket:
            socket.receive_json()
    assert refused.value.code == 4403 and actions(client, "ws_origin_refused") == ["console"]
    with client.websocket_connect("/ws/console", headers={"origin": "http://testserver"}) as socket:
        assert socket.receive_json()["type"] == "hello"


def test_demo_accounts_exist_only_in_demo_mode_and_every_start_warns(tmp_path: Path, rasa: RasaStandin,
                                                                     caplog: pytest.LogCaptureFixture) -> None:
    for name in ("plain", "demo"):
        (tmp_path / name).mkdir()
    with TestClient(create_app(write_config(tmp_path / "plain", rasa.port, seed_demo_agents=False))) as plain:
        assert plain.app.state.services.store.agent_count() == 0, "no demo accounts by default"
    demo = write_config(tmp_path / "demo", rasa.port, seed_demo_agents=True)
    caplog.set_level(logging.WARNING, logger="kefu.gateway")
    for _ in range(2):  # the first start creates them, every start warns while their passwords are published
        caplog.clear()
        with TestClient(create_app(demo)):
            pass
        assert any("published passwords" in r.getMessage() for r in caplog.records), caplog.text


def test_agents_see_personal_values_masked_unless_they_reveal_them_which_is_audited(client: TestClient) -> None:
    token = client.post("/api/console/login", json={"username": "root", "password": PASSWORD}).json()["token"]
    client.cookies.clear()
    boss = {"Authorization": f"Bearer {token}"}
    with client.websocket_connect("/ws/console", headers=boss) as console:
        assert console.receive_json()["type"] == "hello"
        body = client.post("/api/chat", json={"sender": "pii", "message": "转人工 我手机13812345678"}).json()
        pushed = [console.receive_json() for _ in range(2)]
    texts = [e["message"]["text"] for e in pushed if e.get("type") == "message"]
    assert texts and all("13812345678" not in t for t in texts) and any("138****5678" in t for t in texts)
    path = f"/api/console/conversations/{body['conversation']}"
    shown = client.get(path, headers=boss).json()
    assert shown["messages"][0]["text"] == "转人工 我手机138****5678" and shown["revealed"] is False
    assert "13812345678" not in str(shown)
    revealed = client.post(f"{path}/reveal", headers=boss).json()
    assert revealed["messages"][0]["text"] == "转人工 我手机13812345678"
    assert actions(client, "revealed_pii") == ["root"]
