from actions.knowledge_answer import ActionAnswerFromKnowledge
from tests.actions.conftest import make_tracker, run_action


def test_placeholder_finds_nothing_so_the_fallback_chain_continues(domain) -> None:
    messages, events = run_action(ActionAnswerFromKnowledge(), make_tracker("啥", intent="nlu_fallback"), domain)
    assert messages and "没有找到" in messages[0]["text"]
    assert events == [{"event": "slot", "timestamp": None, "name": "knowledge_found", "value": False}]
