"""Full stack, real browser: the customer talks to the real bot, asks for a person, an agent claims
the conversation in the console, they chat in real time, the agent resolves, the rating is stored.
Screenshots of the widget and the console are written to docs/screenshots/."""
from __future__ import annotations

import httpx
import pytest

from bot.stack_process import RunningStack
from bot.stack_runner import REPO
from tests.bot.gateway.handoff_flow import browser_missing, run_handoff_flow
from tests.stack.queued import heard_it_is_kept

pytestmark = pytest.mark.skipif(browser_missing() is not None, reason=browser_missing() or "")


def test_handoff_from_widget_to_console_and_back(running_stack: RunningStack) -> None:
    score = run_handoff_flow(running_stack.gateway, "super1", "kefu-super1", "您好", REPO / "docs" / "screenshots")
    assert score == 5


def test_real_bot_handoff_payload_is_queued_with_its_reason(running_stack: RunningStack) -> None:
    first = httpx.post(f"{running_stack.gateway}/api/chat", json={"sender": "e2e-handoff", "message": "转人工"},
                       timeout=30).json()
    assert first["mode"] == "queued", first
    assert not any((m.get("custom") or {}).get("handoff") for m in first["messages"]), \
        "the handoff payload is for agents, never in the customer's reply"
    login = httpx.post(f"{running_stack.gateway}/api/console/login", timeout=30,
                       json={"username": "super1", "password": "kefu-super1"}).json()
    agent = {"Authorization": f"Bearer {login['token']}"}
    view = httpx.get(f"{running_stack.gateway}/api/console/conversations/{first['conversation']}",
                     headers=agent, timeout=30).json()
    handoff = view["handoff"]
    assert handoff["reason"] and handoff["problem_class"] and handoff["summary"], view
    later = httpx.post(f"{running_stack.gateway}/api/chat", timeout=30, json={
        "sender": "e2e-handoff", "message": "你好", "token": first["token"]}).json()
    assert later["mode"] == "queued", later
    assert len(later["messages"]) == 1 and heard_it_is_kept(later), \
        "the paused bot is not asked while queued: the customer hears only that the message arrived"
