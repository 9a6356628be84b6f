"""“我的投诉处理得怎么样了”: the right ticket's status, group and deadline for a customer who is
proven to own it, nothing for anyone else; an overdue ticket is chased; a new complaint is not
taken for a status question. The real gateway app with the Rasa stand-in."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from bot.config import KefuConfig
from bot.gateway.identity import sign_identity
from bot.gateway.ticket_status import NONE_FOUND, NOT_VERIFIED, asks_about_tickets
from tests.bot.gateway.conftest import put_agent_on_duty
from tests.bot.gateway.test_router import chat


@pytest.mark.parametrize(("text", "asks"), [
    ("我的投诉处理得怎么样了", True), ("之前的工单有结果了吗", True), ("C000042进度如何", True),
    ("帮我查下我的投诉", True), ("我要投诉你们快递太慢", False), ("留言了怎么没人理", False), ("订单到哪了", False),
])
def test_what_counts_as_a_question_about_progress(text: str, asks: bool) -> None:
    assert asks_about_tickets(text) is asks


def test_a_guest_hears_the_status_of_the_ticket_opened_in_this_conversation(client: TestClient) -> None:
    first = chat(client, "guest-status", "请记录我的问题")
    status = chat(client, "guest-status", "我的投诉处理得怎么样了", token=first["token"])
    assert status["mode"] == "bot", "a progress question is no risk, although it says 投诉"
    (reply,) = [m["text"] for m in status["messages"]]
    assert reply.startswith("工单C000042（投诉：发错货）目前待处理，由投诉组负责，会在明天10:00前处理完毕"), reply


def test_someone_who_proves_nothing_is_told_how_to_and_hears_no_ticket(client: TestClient) -> None:
    chat(client, "owner", "请记录我的问题")
    stranger = chat(client, "stranger", "C000042进度如何")
    assert [m["text"] for m in stranger["messages"]] == [NOT_VERIFIED]


def test_a_verified_account_hears_its_own_tickets_from_earlier_conversations_only(
        client: TestClient, gateway_config: KefuConfig, monkeypatch: pytest.MonkeyPatch) -> None:
    mine = sign_identity(gateway_config, "acct-status-1")
    earlier = chat(client, "web-1", "请记录我的问题", identity=mine)
    agent = put_agent_on_duty(client)
    ticket_id = client.get("/api/console/tickets", headers=agent).json()["tickets"][0]["id"]
    client.app.state.services.store.set_mode(earlier["conversation"], "closed")  # that session ended
    other = chat(client, "web-2", "之前的工单有结果了吗", identity=sign_identity(gateway_config, "acct-status-2"))
    assert [m["text"] for m in other["messages"]] == [NONE_FOUND], "another account's ticket is never told"
    monkeypatch.setenv("KEFU_CLOCK", "2026-12-08T12:00:00+08:00")  # past the 24-hour deadline
    later = chat(client, "web-3", "之前的工单有结果了吗", identity=sign_identity(gateway_config, "acct-status-1"))
    assert later["conversation"] != earlier["conversation"]
    (reply,) = [m["text"] for m in later["messages"]]
    assert "C000042" in reply and "已超过" in reply and "催办" in reply, reply
    agent = put_agent_on_duty(client, "next-day")
    events = client.get(f"/api/console/tickets/{ticket_id}", headers=agent).json()["events"]
    assert events[-1]["action"] == "chased"



def test_a_progress_question_with_a_threat_still_goes_to_a_person(client: TestClient) -> None:
    first = chat(client, "threat-status", "请记录我的问题")
    body = chat(client, "threat-status", "我的投诉处理得怎么样了？再不处理我就找媒体曝光", token=first["token"])
    assert body["mode"] == "queued", "a threat to go public is handed off, progress question or not"
