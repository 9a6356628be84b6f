"""`kefu eval blind`: the route judge on hand-made replies, and a small blind-format set of our own
played through the real stack (a returning customer's earlier hand-off is released first)."""
from __future__ import annotations

import hashlib
import json
import uuid
from pathlib import Path

from eval.cli import main
from eval.loaders.blind import BlindTurn
from eval.suites.blind import judge_turn, observed_route

CITED = {"mode": "bot", "messages": [{"text": "当天16:00前付款当天发货。"},
                                     {"custom": {"citations": [{"doc_id": "ship-dispatch-time"}]}}]}


def test_what_the_bot_did_is_read_from_mode_citations_and_actions() -> None:
    assert observed_route({"mode": "queued", "messages": [{"text": "正在转接"}]}, []) == "handoff"
    assert observed_route({"mode": "bot", "messages": [{"text": "请提供订单号"}]},
                          ["order_lookup_form", "action_ask_order_number"]) == "task"
    assert observed_route(CITED, ["action_answer_from_knowledge"]) == "answer"
    assert observed_route({"mode": "bot", "messages": [{"text": "没有找到"}]}, ["action_answer_from_knowledge"]) == "abstain"
    assert observed_route({"mode": "bot", "messages": [{"text": "您好"}]}, ["utter_greet"]) == "smalltalk"
    assert observed_route({"mode": "bot", "messages": []}, []) == "silent"


def test_a_turn_fails_for_each_broken_expectation_and_says_why() -> None:
    good = judge_turn(BlindTurn("几点前付款当天发", "answer", ("16:00",), ("订单号",), False), CITED,
                      ["action_answer_from_knowledge"])
    assert good["passed"] and good["problems"] == []
    bad = judge_turn(BlindTurn("帮我查订单", "task", ("订单号",), ("16:00",), True), CITED,
                     ["action_answer_from_knowledge"])
    assert not bad["passed"]
    assert bad["problems"] == ["route answer, expected task", "none of ['订单号'] in the reply",
                               "the reply contains ['16:00']", "handoff False, expected True"]
    silent = judge_turn(BlindTurn("在吗", "smalltalk"), {"mode": "bot", "messages": []}, [])
    assert "no customer-visible reply" in silent["problems"]


def test_an_answer_inside_a_running_form_is_reported_beside_the_figure_not_in_it() -> None:
    fee = {"mode": "bot", "messages": [{"text": "运费需要您承担。"}, {"text": "请问商品用过吗？"}]}
    resumed = judge_turn(BlindTurn("寄回去的运费谁出", "answer", ("您承担",)), fee, ["action_answer_topic", "return_form"])
    assert not resumed["passed"] and resumed["failed_only_as_a_form_resume"], "the judge still says task"
    started = judge_turn(BlindTurn("运费谁出", "answer"), fee, ["action_triage_request", "return_form"])
    assert not started["failed_only_as_a_form_resume"], "a form that starts is no resume"
    wrong_words = judge_turn(BlindTurn("寄回去的运费谁出", "answer", ("12元",)), fee, ["action_answer_topic", "return_form"])
    assert not wrong_words["failed_only_as_a_form_resume"], "only the route may be the problem"


SET = """writer: T1
conversations:
- id: T1-small_talk-001
  category: small_talk
  turns:
  - user: 你好呀
    expect: {route: smalltalk, handoff: false}
- id: T1-escalation-001
  category: escalation
  sender: {sender}
  turns:
  - user: 转人工
    expect: {route: handoff, handoff: true}
- id: T1-knowledge-001
  category: knowledge
  sender: {sender}
  turns:
  - user: 你好
    expect: {route: smalltalk, contains_any: [这句话机器人不会说], handoff: false}
questions:
- id: T1-001
  question: 你们的羊毛衫可以机洗吗
  near_topic: warranty-clothing
  why_not_answered: washing is not in the facts
"""


def test_a_blind_set_is_played_through_the_stack(tmp_path: Path, live_urls: tuple[str, str]) -> None:
    folder = tmp_path / "set"
    folder.mkdir()
    # one customer in two conversations (a new id: the session's stack is shared with other tests)
    text = SET.replace("{sender}", f"blind-repeat-{uuid.uuid4().hex[:8]}")
    (folder / "t1.yml").write_text(text, encoding="utf-8")
    (folder / "SHA256SUMS").write_text(hashlib.sha256(text.encode()).hexdigest() + "  t1.yml\n", encoding="utf-8")
    gateway, rasa = live_urls
    main(["blind", "--blind", str(folder), "--gateway", gateway, "--rasa", rasa, "--out", str(tmp_path / "out")])
    suite = json.loads((tmp_path / "out" / "results.json").read_text(encoding="utf-8"))["suites"]["blind"]
    assert suite["status"] == "ok", suite
    results = {r["id"]: r for r in suite["conversations"]}
    assert results["T1-small_talk-001"]["passed"], results["T1-small_talk-001"]
    assert results["T1-escalation-001"]["passed"], results["T1-escalation-001"]
    released = results["T1-knowledge-001"]["turns"][0]
    assert released["mode"] == "bot" and released["bot"].strip()  # the earlier hand-off was resolved first
    assert released["problems"] == ["none of ['这句话机器人不会说'] in the reply"]
    assert suite["metrics"]["set/conversations_passed"] == round(2 / 3, 4)
    assert len(suite["near_misses"]) == 1 and suite["near_misses"][0]["bot"].strip()
