"""The whole stack with its clock set to the shop's evening and morning (KEFU_CLOCK, Asia/Shanghai)
while this machine runs in UTC: the bot's words, the gateway's queue message and the wait agree
with the hour and with who is online, and a handoff nobody can take becomes a ticket an agent sees.
Real Rasa, real action server, real gateway; two stacks, so marked slow (it runs in .ci/run)."""
from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest

from bot.stack_runner import StackRunner
from tests.stack.test_scenarios import Customer

pytestmark = pytest.mark.slow


def log_in(stack: StackRunner, username: str, password: str) -> dict[str, str]:
    response = httpx.post(f"{stack.gateway}/api/console/login", json={"username": username, "password": password},
                          timeout=30)
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}


def test_after_closing_the_bot_and_the_gateway_say_when_people_are_back_and_keep_a_ticket(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KEFU_CLOCK", "2026-12-07T22:00:00+08:00")  # 14:00 UTC: a server clock says afternoon
    stack = StackRunner.on_free_ports(tmp_path)
    try:
        stack.start()
        supervisor = log_in(stack, "super1", "kefu-super1")  # online, but the shop is closed
        customer = Customer(stack)
        said = customer.says("转人工")
        assert customer.last["mode"] == "queued" and not customer.last.get("queue"), customer.last
        assert "现在不在服务时间" in said and "明天09:00" in said and "正在为您转接" not in said, said
        assert "非工作时间" in said and "工单T" in said and "预计等待" not in said, said
        tickets = httpx.get(f"{stack.gateway}/api/console/tickets", headers=supervisor, timeout=30).json()["tickets"]
        assert [(t["conversation"], t["source"], t["status"]) for t in tickets] == \
            [(customer.last["conversation"], "handoff", "待处理")]
    finally:
        stack.stop()


def test_in_the_morning_the_wait_is_promised_only_when_someone_is_online(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KEFU_CLOCK", "2026-12-07T09:00:00+08:00")  # 01:00 UTC
    stack = StackRunner.on_free_ports(tmp_path)
    try:
        stack.start()
        early = Customer(stack)
        said = early.says("转人工")
        assert "正在为您转接" in said and "现在人工客服都不在线" in said and "工单T" in said, said
        assert not early.last.get("queue") and "预计等待" not in said, early.last
        log_in(stack, "super1", "kefu-super1")
        later = Customer(stack)
        said = later.says("转人工")
        assert "正在为您转接" in said and "预计等待约" in said and "工单" not in said, said
        assert later.last["queue"]["position"] == 2, "the early customer still waits ahead of this one"
        complaint_is_kept_and_told_only_to_its_customer(stack)
        cancellation_is_kept_as_a_ticket(stack, supervisor=log_in(stack, "super1", "kefu-super1"))
    finally:
        stack.stop()


def complaint_is_kept_and_told_only_to_its_customer(stack: StackRunner) -> None:
    """The complaint form's promise (金卡: 12 hours) becomes a ticket with that deadline; the customer
    hears its status later, another account and a guest do not."""
    gold = Customer(stack, account="u10003")
    gold.says("什么破服务")
    gold.says("买的保温杯送的杯套一直没有寄过来")
    promised = gold.says("补发杯套就行")
    assert "已为您登记投诉" in promised and "12小时内" in promised, promised
    reference = promised.split("单号")[1][:7]
    supervisor = log_in(stack, "super1", "kefu-super1")
    tickets = httpx.get(f"{stack.gateway}/api/console/tickets", headers=supervisor, timeout=30).json()["tickets"]
    (ticket,) = [t for t in tickets if t["reference"] == reference]
    created, due = (datetime.fromisoformat(ticket[key].rstrip("Z")) for key in ("created_at", "due_at"))
    assert due - created == timedelta(hours=12) and ticket["group"] == "投诉", ticket
    status = gold.says("我的投诉处理得怎么样了")
    assert f"工单{reference}" in status and "待处理" in status and "今天21:0" in status, status  # 09:00 + 12 hours
    other = Customer(stack, account="u10002")
    assert reference not in other.says("我的投诉处理得怎么样了")
    guest = Customer(stack)
    assert "需要先登录" in guest.says(f"{reference}进度如何")


def cancellation_is_kept_as_a_ticket(stack: StackRunner, supervisor: dict[str, str]) -> None:
    """A cancellation request the bot records ("仓库拦截后订单即取消") is a ticket for 售后 with the SLA's deadline."""
    customer = Customer(stack)
    asked = customer.says("帮我取消订单HW2026110002")
    done = customer.says("1234") if "后四位" in asked else asked
    for _ in range(2):  # a confirmation question, if the form asks one
        if "取消申请" in done:
            break
        done = customer.says("是的，确认取消")
    assert "已为您提交订单HW2026110002的取消申请" in done, (asked, done)
    tickets = httpx.get(f"{stack.gateway}/api/console/tickets", headers=supervisor, timeout=30).json()["tickets"]
    (ticket,) = [t for t in tickets if "HW2026110002" in t["title"]]
    created, due = (datetime.fromisoformat(ticket[key].rstrip("Z")) for key in ("created_at", "due_at"))
    assert ticket["group"] == "售后" and due - created == timedelta(hours=48), ticket  # 操作类: service.sla_hours
