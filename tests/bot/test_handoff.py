"""The handoff contract shared by the action server and the gateway."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

import bot.handoff
from bot.config import GatewaySettings
from bot.handoff import (
    COMPLAINT,
    DEFAULT_PROBLEM_CLASS,
    DEFAULT_ROUTING,
    GATEWAY_RISK_WORDS,
    PROBLEM_CLASSES,
    RISK_WORDS,
    Handoff,
    explicitly_asks_for_a_person,
    handoff_payload_in,
)


def test_a_payload_round_trips() -> None:
    handoff = Handoff(reason="customer_request", priority="high", problem_class=COMPLAINT, summary="投诉类；…")
    payload = handoff.to_payload()
    assert payload == {"reason": "customer_request", "priority": "high", "problem_class": "投诉类",
                       "summary": "投诉类；…"}
    assert Handoff.from_payload(payload) == handoff


def test_missing_or_empty_values_take_the_gateways_defaults() -> None:
    assert Handoff.from_payload({}, default_reason="bot") == Handoff("bot", "normal", "咨询类", "")
    empty = {"reason": "", "priority": None, "problem_class": "", "summary": None}
    assert Handoff.from_payload(empty, default_reason="risk_word") == Handoff("risk_word", "normal", "咨询类", "")
    assert Handoff.from_payload({"reason": "x"}).problem_class == DEFAULT_PROBLEM_CLASS


@pytest.mark.parametrize("garbage", [None, "handoff", 42, ["reason"]])
def test_a_payload_that_is_not_a_dict_is_read_as_empty(garbage: object) -> None:
    assert Handoff.from_payload(garbage, default_reason="bot") == Handoff("bot")


def test_values_that_are_not_text_are_turned_into_text() -> None:
    handoff = Handoff.from_payload({"reason": 7, "priority": 1, "problem_class": ["故障类"], "summary": {"a": 1}})
    assert handoff == Handoff("7", "1", "['故障类']", "{'a': 1}")


def test_the_handoff_payload_is_found_in_a_custom_message_only_when_it_is_a_dict() -> None:
    payload = Handoff("customer_request").to_payload()
    assert handoff_payload_in({"handoff": payload}) is payload
    for custom in (None, "handoff", {"handoff": "转人工"}, {"other": payload}, [payload]):
        assert handoff_payload_in(custom) is None


def test_the_risk_words_the_gateway_adds_complaints_to_the_bots() -> None:
    assert RISK_WORDS == ("12315", "消协", "曝光", "媒体", "律师", "起诉", "报警", "法院")
    assert GATEWAY_RISK_WORDS == ("投诉", *RISK_WORDS)
    assert GatewaySettings().risk_words == GATEWAY_RISK_WORDS


def test_every_problem_class_is_routed_by_default() -> None:
    assert DEFAULT_ROUTING == ("投诉类=投诉", "故障类=售后", "操作类=售后", "咨询类=咨询", "建议类=咨询")
    assert {rule.split("=", 1)[0] for rule in DEFAULT_ROUTING} == set(PROBLEM_CLASSES)
    assert GatewaySettings().routing == DEFAULT_ROUTING
    assert DEFAULT_PROBLEM_CLASS in PROBLEM_CLASSES


def test_the_contract_imports_only_the_standard_library() -> None:
    """The action server and the gateway both import it: no bot.config, no third-party package."""
    tree = ast.parse(Path(bot.handoff.__file__).read_text(encoding="utf-8"))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert imported <= {"__future__", "dataclasses", "re", "typing"}


@pytest.mark.parametrize("text", ["转人工", "人工服务 您好 在吗", "修改发票 我要转人工", "我要转人工 订单号: 2026119876",
                                  "人工", "机器人听不懂 转人工", "人工客服在吗", "人工客服几点上班 我要转人工"])
def test_explicit_requests_for_a_person(text: str) -> None:
    assert explicitly_asks_for_a_person(text)


@pytest.mark.parametrize("text", ["人工客服几点上班", "人工服务时间是几点", "人工客服电话多少", "不用转人工了",
                                  "不需要人工客服", "等下 先问问你们人工几点下班", "我要退的人是我家人", "人工费多少"])
def test_what_is_not_an_explicit_request(text: str) -> None:
    assert not explicitly_asks_for_a_person(text)
