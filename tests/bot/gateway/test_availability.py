"""What a customer hears at a handoff at each edge of the shop's day, with and without an agent
online: the wait only when someone can take the conversation, otherwise the ticket that keeps it.
The real gateway app over HTTP with the Rasa stand-in; the clock is the shop's (kefu.yml `service`,
Asia/Shanghai) while this machine runs in UTC."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.bot.gateway.conftest import put_agent_on_duty
from tests.bot.gateway.test_router import chat


@pytest.mark.parametrize(("local_time", "open_now"), [("08:59", False), ("09:00", True), ("21:59", True),
                                                      ("22:00", False)])
@pytest.mark.parametrize("agent_online", [True, False])
def test_the_handoff_words_queue_and_wait_agree_with_the_hour_and_who_is_online(
        client: TestClient, monkeypatch: pytest.MonkeyPatch, local_time: str, open_now: bool, agent_online: bool) -> None:
    monkeypatch.setenv("KEFU_CLOCK", f"2026-12-07T{local_time}:00+08:00")
    if agent_online:
        put_agent_on_duty(client)
    first = chat(client, f"hours-{local_time}-{agent_online}", "我要转人工")
    told = first["messages"][-1]["text"]
    later = chat(client, f"hours-{local_time}-{agent_online}", "还有多久", token=first["token"])
    if open_now and agent_online:
        assert first["queue"] == {"position": 1, "wait_minutes": 2}
        assert "预计等待约2分钟" in told and "工单" not in told
        assert "预计等待约2分钟" in later["messages"][0]["text"]
        return
    assert "queue" not in first or first["queue"] is None, "nobody can take it now: no wait is promised"
    assert "预计等待" not in told and "工单T000001" in told
    if open_now:
        assert "现在人工客服都不在线" in told
    else:
        back = "今天09:00" if local_time == "08:59" else "明天09:00"
        assert "非工作时间" in told and "每天09:00–22:00" in told and back in told
    assert later["messages"] == [{"text": "您的留言已记入工单T000001，客服处理时会看到，请放心。"}]
    duty = put_agent_on_duty(client, "checker", "咨询") if not agent_online else None
    if duty is not None:
        tickets = client.get("/api/console/tickets", headers=duty).json()["tickets"]
        assert [(t["number"], t["source"], t["status"]) for t in tickets] == [("T000001", "handoff", "待处理")]


def test_the_agent_who_takes_up_a_waiting_conversation_owns_its_ticket(client: TestClient) -> None:
    first = chat(client, "waited", "我要转人工")  # nobody online: a ticket
    agent = put_agent_on_duty(client)
    assert client.post(f"/api/console/conversations/{first['conversation']}/claim", headers=agent).status_code == 200
    (ticket,) = client.get("/api/console/tickets", headers=agent).json()["tickets"]
    assert (ticket["status"], ticket["owner_username"]) == ("处理中", "duty")


def test_a_customer_who_writes_again_while_nobody_is_in_has_one_ticket(client: TestClient,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KEFU_CLOCK", "2026-12-07T23:30:00+08:00")
    first = chat(client, "night", "我要转人工")
    for text in ("在吗", "快点处理", "我要转人工"):
        chat(client, "night", text, token=first["token"])
    duty = put_agent_on_duty(client)
    tickets = client.get("/api/console/tickets", headers=duty).json()["tickets"]
    assert len(tickets) == 1 and tickets[0]["conversation"] == first["conversation"]


def next_system_text(customer) -> str:
    """Read the customer's WebSocket frames up to the next system message; its text."""
    for _ in range(20):
        frame = customer.receive_json()
        if frame.get("type") == "message" and frame["message"]["role"] == "system":
            return frame["message"]["text"]
    raise AssertionError("no system message")


def test_a_message_left_with_the_widgets_button_is_kept_as_a_ticket_even_when_someone_is_in(client: TestClient) -> None:
    agent = put_agent_on_duty(client)
    with client.websocket_connect("/ws/chat?sender=leaver") as customer:
        customer.receive_json()  # hello
        customer.send_json({"type": "message", "client_id": "m1", "text": "我要转人工"})
        assert "预计等待约2分钟" in next_system_text(customer), "someone is in: the wait is promised"
        customer.send_json({"type": "leave_message", "client_id": "m2", "text": "明天上午打我电话，谢谢"})
        told = next_system_text(customer)
    assert told == "您的留言已记入工单T000001，客服处理时会看到，请放心。"
    (ticket,) = client.get("/api/console/tickets", headers=agent).json()["tickets"]
    assert (ticket["source"], ticket["title"], ticket["detail"]) == ("message", "客户留言", "明天上午打我电话，谢谢")
