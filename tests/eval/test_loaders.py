"""Every input format read from small files written here, and their one-line errors."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval.loaders import LoaderError
from eval.loaders.dialogues import DEFAULT_DIALOGUES, load_dialogues
from eval.loaders.external import DatasetMissing, dataset_folder
from eval.loaders.handoff_labels import DEFAULT_LABELS, load_handoff_labels
from eval.loaders.qa import UNANSWERABLE, load_qa
from eval.loaders.stories import DEFAULT_STORIES, load_stories


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_qa_jsonl_with_references_and_an_unanswerable_row(tmp_path: Path) -> None:
    qa = write(tmp_path / "qa.jsonl", "\n".join(json.dumps(row, ensure_ascii=False) for row in [
        {"question": "退款多久到账", "answer": "48小时内退款", "doc_id": "refund-timing"},
        {"question": "实体店在哪", "answer": None, "doc_id": None},
    ]) + "\n\n")
    items = load_qa(qa)
    assert [i.answerable for i in items] == [True, False]
    assert items[0].relevant_docs == {"refund-timing"} and items[0].id == "q1"


@pytest.mark.parametrize("line, message", [
    ('{"answer": "x", "doc_id": "d"}', "non-empty \"question\""),
    ('{"question": "q", "doc_id": "d"}', "add \"answer\""),
    ('{"question": "q", "answer": "a"}', "needs \"doc_id\""),
    ("not json", "not JSON"),
])
def test_qa_errors_name_the_line_and_the_fix(tmp_path: Path, line: str, message: str) -> None:
    with pytest.raises(LoaderError, match=message) as error:
        load_qa(write(tmp_path / "bad.jsonl", line + "\n"))
    assert "bad.jsonl:1" in str(error.value)


def test_the_projects_own_sets_load() -> None:
    assert all(not item.answerable for item in load_qa(UNANSWERABLE))
    labels = load_handoff_labels(DEFAULT_LABELS)
    assert len(labels) >= 40 and {True, False} == {item.should_handoff for item in labels}
    assert len(load_dialogues(DEFAULT_DIALOGUES)) >= 6 and len(load_stories(DEFAULT_STORIES)) >= 10


def test_rasa_test_stories_become_messages_and_expected_steps(tmp_path: Path) -> None:
    stories = write(tmp_path / "stories.yml", """
version: "3.1"
stories:
- story: order with an entity
  metadata: {sender: u10001}
  steps:
  - user: |
      订单[HW2026110001](order_number)到哪了
    intent: order_status
  - action: order_lookup_form
  - active_loop: order_lookup_form
  - slot_was_set:
    - requested_slot: phone_tail
  - intent: affirm
  - or:
    - intent: thanks
    - intent: goodbye
  - action: utter_goodbye
""")
    [story] = load_stories(stories)
    assert story.messages == ["订单HW2026110001到哪了", "/affirm", "/thanks"]
    assert [str(e) for e in story.expected] == ["intent order_status", "action order_lookup_form",
                                                "intent affirm", "intent thanks|goodbye", "action utter_goodbye"]
    assert story.sender == "u10001" and story.slots == [{"requested_slot": "phone_tail"}]


def test_a_story_step_that_cannot_be_replayed_is_named(tmp_path: Path) -> None:
    bad = write(tmp_path / "bad.yml", "stories:\n- story: s\n  steps:\n  - action: utter_greet\n")
    with pytest.raises(LoaderError, match="no user turn"):
        load_stories(bad)


def test_dialogue_yaml_with_every_expectation(tmp_path: Path) -> None:
    dialogues = write(tmp_path / "d.yml", """
dialogues:
- name: knowledge
  turns:
  - user: 包邮吗
    intent: nlu_fallback
    slots: {knowledge_found: true}
    contains: [8元, 99元]
    not_contains: 抱歉
    cites: ship-free-shipping
    action: action_answer_from_knowledge
    handoff: false
""")
    [dialogue] = load_dialogues(dialogues)
    turn = dialogue.turns[0]
    assert (turn.contains, turn.not_contains, turn.cites, turn.handoff) == (["8元", "99元"], ["抱歉"], ["ship-free-shipping"], False)
    assert turn.slots == {"knowledge_found": True} and dialogue.sender is None


def test_dialogue_typos_are_refused_with_the_allowed_keys(tmp_path: Path) -> None:
    with pytest.raises(LoaderError, match="unknown key.*'cite'"):
        load_dialogues(write(tmp_path / "d.yml", "dialogues:\n- turns:\n  - user: hi\n    cite: x\n"))


def test_handoff_labels(tmp_path: Path) -> None:
    labels = write(tmp_path / "h.jsonl", '{"conversation": ["转人工"], "should_handoff": true}\n'
                                          '{"id": "n", "conversation": ["你好", "谢谢"], "should_handoff": false}\n')
    assert [(i.id, i.should_handoff, len(i.conversation)) for i in load_handoff_labels(labels)] == [
        ("h1", True, 1), ("n", False, 2)]
    with pytest.raises(LoaderError, match="true or false"):
        load_handoff_labels(write(tmp_path / "bad.jsonl", '{"conversation": ["x"], "should_handoff": "yes"}\n'))


def test_named_datasets_skip_cleanly_when_absent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KEFU_DATASETS", str(tmp_path))
    with pytest.raises(DatasetMissing, match=f"expected train.json, test_public.json in {tmp_path}/cic"):
        dataset_folder("cic")
    with pytest.raises(ValueError, match="unknown data set"):
        dataset_folder("imdb")
