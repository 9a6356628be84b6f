"""Tickets through the real gateway app: the bot's promise opens one with that deadline, agents move
it through every status (and reopen it), wrong moves are refused, the history records each change,
an overdue ticket is counted as an SLA breach, and agents see only their groups' tickets."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from tests.bot.gateway.conftest import put_agent_on_duty
from tests.bot.gateway.test_router import chat


def test_a_promise_in_the_bots_reply_opens_a_ticket_with_that_deadline(client: TestClient) -> None:
    body = chat(client, "complainer", "请记录我的问题")
    assert [m for m in body["messages"] if m] == [{"text": "已为您登记投诉，单号C000042。专人会在24小时内跟进处理。"}], \
        "the ticket request is for the gateway, never shown to the customer"
    agent = put_agent_on_duty(client)
    (ticket,) = client.get("/api/console/tickets", headers=agent).json()["tickets"]
    assert (ticket["reference"], ticket["source"], ticket["group"], ticket["status"]) == ("C000042", "bot", "投诉", "待处理")
    created = datetime.fromisoformat(ticket["created_at"].rstrip("Z"))
    assert datetime.fromisoformat(ticket["due_at"].rstrip("Z")) - created == timedelta(hours=24)


def test_a_request_the_customer_takes_back_closes_its_ticket_without_a_follow_up(client: TestClient) -> None:
    first = chat(client, "changed-mind", "请记录我的问题")
    body = chat(client, "changed-mind", "算了 不投诉了", token=first["token"])
    assert [m for m in body["messages"] if m] == [{"text": "好的，已为您撤回投诉C000042。"}]
    agent = put_agent_on_duty(client)
    (ticket,) = client.get("/api/console/tickets", headers=agent).json()["tickets"]
    closed = client.get(f"/api/console/tickets/{ticket['id']}", headers=agent).json()
    assert closed["status"] == "已关闭" and closed["closed_at"], closed
    assert closed["followup"]["due_at"] is None, "nobody worked a withdrawn request: no follow-up call"
    assert [(e["actor"], e["action"]) for e in closed["events"]][-1] == ("customer", "withdrawn")
    chat(client, "someone-else", "不投诉了")
    assert client.get(f"/api/console/tickets/{ticket['id']}", headers=agent).json()["events"] == closed["events"], \
        "another conversation cannot withdraw this one's request"


def test_a_ticket_moves_through_every_status_and_back(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    chat(client, "flow", "请记录我的问题")
    agent = put_agent_on_duty(client)
    ticket_id = client.get("/api/console/tickets", headers=agent).json()["tickets"][0]["id"]

    def move(status: str) -> dict:
        return client.post(f"/api/console/tickets/{ticket_id}/status", headers=agent, json={"status": status})

    assert move("待确认").status_code == 409, "待处理 cannot skip to 待确认"
    assert move("处理中").json()["owner_username"] == "duty", "who starts the work owns the ticket"
    assert client.post(f"/api/console/tickets/{ticket_id}/comment", headers=agent,
                       json={"text": "已联系仓库核实"}).status_code == 200
    assert move("待确认").status_code == 200
    closed = move("已关闭").json()
    assert closed["closed_at"] and closed["followup"]["due_at"], "closing schedules the follow-up (回访)"
    reopened = move("处理中").json()
    assert reopened["reopened"] == 1 and reopened["closed_at"] is None and reopened["followup"]["due_at"] is None
    assert move("bogus").status_code == 409
    history = [(e["action"], e["detail"]) for e in reopened["events"]]
    assert history[1:] == [("status", "待处理→处理中"), ("comment", "已联系仓库核实"), ("status", "处理中→待确认"),
                           ("status", "待确认→已关闭"), ("reopened", "已关闭→处理中")]


def test_an_overdue_ticket_is_a_breach(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    chat(client, "late", "请记录我的问题")
    agent = put_agent_on_duty(client)
    assert client.get("/api/console/tickets", headers=agent).json()["breached"] == 0
    monkeypatch.setenv("KEFU_CLOCK", "2026-12-08T11:00:00+08:00")  # 25 hours after the conftest's 10:00
    agent = put_agent_on_duty(client, "next-day")  # yesterday's session has expired meanwhile
    listing = client.get("/api/console/tickets", headers=agent).json()
    assert listing["breached"] == 1 and listing["tickets"][0]["breached"] is True
    assert [t["id"] for t in client.get("/api/console/tickets?overdue=true", headers=agent).json()["tickets"]] \
        == [listing["tickets"][0]["id"]]


def test_agents_see_their_groups_tickets_and_may_not_assign_others(client: TestClient) -> None:
    chat(client, "groups", "请记录我的问题")
    consult = put_agent_on_duty(client, "consult", "咨询")
    complaints = put_agent_on_duty(client, "complaints", "投诉")
    assert client.get("/api/console/tickets", headers=consult).json()["tickets"] == []
    ticket_id = client.get("/api/console/tickets", headers=complaints).json()["tickets"][0]["id"]
    assert client.get(f"/api/console/tickets/{ticket_id}", headers=consult).status_code == 403
    assert client.post(f"/api/console/tickets/{ticket_id}/assign", headers=complaints,
                       json={"agent": "consult"}).status_code == 403
    assert client.post(f"/api/console/tickets/{ticket_id}/assign", headers=complaints,
                       json={"agent": "complaints"}).json()["owner_username"] == "complaints"


def test_an_agent_opens_a_ticket_from_a_conversation_and_links_another(client: TestClient) -> None:
    agent = put_agent_on_duty(client)
    first = chat(client, "linker", "我要转人工")
    other = chat(client, "linker-2", "我要转人工")
    opened = client.post("/api/console/tickets", headers=agent, json={
        "conversation": first["conversation"], "title": "核实退款到账", "problem_class": "咨询类"})
    assert opened.status_code == 200, opened.text
    ticket = opened.json()
    linked = client.post(f"/api/console/tickets/{ticket['id']}/link", headers=agent,
                         json={"conversation": other["conversation"]}).json()
    assert linked["linked_conversations"] == [other["conversation"]]
    assert client.post("/api/console/tickets", headers=agent, json={
        "conversation": first["conversation"], "title": "x", "problem_class": "不存在"}).status_code == 422
