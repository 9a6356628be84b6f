"""A user's own stories, dialogues and hand-off labels (small files written here) evaluated
against the real stack without code changes; wrong expectations are caught, not waved through."""
from __future__ import annotations

import json
from pathlib import Path

from eval.cli import main

STORIES = """
version: "3.1"
stories:
- story: greet
  steps:
  - user: |
      你好
    intent: greet
  - action: utter_greet
- story: a story that expects the wrong action
  steps:
  - user: |
      转人工
    intent: request_human
  - action: utter_goodbye
"""
DIALOGUES = """
dialogues:
- name: ask for a person
  turns:
  - user: 转人工
    intent: request_human
    handoff: true
- name: wrong expectations on purpose
  turns:
  - user: 你好
    intent: order_status
    contains: 这句话机器人不会说
    handoff: true
"""
LABELS = [{"conversation": ["我要投诉你们"], "should_handoff": True},
          {"conversation": ["你好"], "should_handoff": False},
          {"conversation": ["你好"], "should_handoff": True}]


def test_own_stories_dialogues_and_labels_through_the_real_stack(live_urls: tuple[str, str], tmp_path: Path) -> None:
    (tmp_path / "stories.yml").write_text(STORIES, encoding="utf-8")
    (tmp_path / "dialogues.yml").write_text(DIALOGUES, encoding="utf-8")
    (tmp_path / "labels.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in LABELS), encoding="utf-8")
    out = tmp_path / "out"
    main(["conversations,handoff,latency", "--out", str(out), "--stories", str(tmp_path / "stories.yml"),
          "--dialogues", str(tmp_path / "dialogues.yml"), "--handoff", str(tmp_path / "labels.jsonl"),
          "--gateway", live_urls[0], "--rasa", live_urls[1]])
    data = json.loads((out / "results.json").read_text(encoding="utf-8"))
    conversations, handoff, latency = (data["suites"][n] for n in ("conversations", "handoff", "latency"))
    assert conversations["status"] == handoff["status"] == latency["status"] == "ok"

    greet, wrong = conversations["stories"]
    assert greet["passed"], greet
    assert not wrong["passed"] and wrong["first_error"] == {"position": 1, "expected": "action utter_goodbye",
                                                            "got": "action action_handoff"}
    assert conversations["metrics"]["stories_passed"] == 0.5

    person, broken = conversations["dialogues"]
    assert person["passed"], person["turns"]
    checks = broken["turns"][0]["checks"]
    assert {name: c["ok"] for name, c in checks.items()} == {"intent": False, "contains": False, "handoff": False}
    assert checks["intent"]["got"] == "greet"
    assert conversations["metrics"]["dialogues_passed"] == 0.5

    assert handoff["confusion"] == {"tp": 1, "fp": 0, "fn": 1, "tn": 1}
    assert handoff["metrics"]["precision"] == 1.0 and handoff["metrics"]["recall"] == 0.5
    assert latency["metrics"]["gateway_turns"] == 2 + 3  # dialogue turns + hand-off turns; stories go to Rasa
    assert latency["metrics"]["rasa_rest_turns"] == 2
    assert 0 < latency["metrics"]["gateway_p50_ms"] <= latency["metrics"]["gateway_p95_ms"]
