"""Follow-ups (回访) through the real gateway app: a closed ticket's customer is asked, their answer
(solved or not, a 1–5 score) is stored on the ticket, "没解决" reopens it; a customer who has left
gets a call task for the ticket's owner instead of a message."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from bot.gateway.followup import read_answer, send_due_followups
from tests.bot.gateway.conftest import put_agent_on_duty
from tests.bot.gateway.test_router import chat


@pytest.mark.parametrize(("text", "answer"), [
    ("已解决，5分", (True, 5)), ("还是没解决", (False, None)), ("4", (None, 4)), ("满意", (True, None)),
    ("订单到哪了", None), ("我有10件要退", None),
])
def test_reading_the_answer(text: str, answer: tuple | None) -> None:
    assert read_answer(text) == answer


def close_complaint_ticket(client: TestClient, sender: str) -> tuple[dict, dict[str, str], int]:
    first = chat(client, sender, "请记录我的问题")
    agent = put_agent_on_duty(client, f"agent-{sender}")
    ticket_id = client.get("/api/console/tickets", headers=agent).json()["tickets"][0]["id"]
    for status in ("处理中", "已关闭"):
        assert client.post(f"/api/console/tickets/{ticket_id}/status", headers=agent, json={"status": status}).status_code == 200
    return first, agent, ticket_id


def test_an_unsolved_answer_is_stored_and_reopens_the_ticket(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    first, _, ticket_id = close_complaint_ticket(client, "followed")
    router = client.app.state.services.router
    assert client.portal.call(send_due_followups, router) == 0, "not yet due"
    monkeypatch.setenv("KEFU_CLOCK", "2026-12-08T10:30:00+08:00")  # 24.5 hours after closing
    assert client.portal.call(send_due_followups, router) == 1
    assert client.portal.call(send_due_followups, router) == 0, "asked once"
    transcript = client.get(f"/api/conversations/{first['conversation']}/messages", params={"token": first["token"]}).json()
    assert "问题解决了吗" in transcript["messages"][-1]["text"] and "C000042" in transcript["messages"][-1]["text"]
    reply = chat(client, "followed", "还是没解决，2分", token=first["token"])
    assert reply["messages"] == [{"text": "非常抱歉问题还没解决。已为您重新打开工单C000042，客服会尽快联系您继续处理。"}]
    agent = put_agent_on_duty(client, "next-day")
    ticket = client.get(f"/api/console/tickets/{ticket_id}", headers=agent).json()
    assert ticket["followup"]["solved"] is False and ticket["followup"]["score"] == 2
    assert ticket["status"] == "处理中" and ticket["reopened"] == 1
    assert chat(client, "followed", "你好", token=first["token"])["messages"][0]["text"] != reply["messages"][0]["text"], \
        "the next message goes to the bot again"


def test_a_customer_who_has_left_gets_a_call_task_instead(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    first, _, ticket_id = close_complaint_ticket(client, "gone")
    client.app.state.services.store.set_mode(first["conversation"], "closed")
    monkeypatch.setenv("KEFU_CLOCK", "2026-12-08T10:30:00+08:00")
    assert client.portal.call(send_due_followups, client.app.state.services.router) == 1
    agent = put_agent_on_duty(client, "next-day")
    events = client.get(f"/api/console/tickets/{ticket_id}", headers=agent).json()["events"]
    assert events[-1]["action"] == "followup" and "电话回访" in events[-1]["detail"]
