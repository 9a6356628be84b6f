"""Kefu's action_default_fallback (RulePolicy's core fallback) always says something."""
import pytest

from actions.fallback import ActionDefaultFallback
from actions.knowledge_service import shared_service
from bot.handoff import NOT_UNDERSTOOD_TEXT
from tests.actions.conftest import make_tracker, run_action


@pytest.fixture(scope="module", autouse=True)
def warm_service(knowledge_index: None) -> None:
    shared_service().warm_up()


def test_the_core_fallback_answers_from_knowledge_when_it_can(domain) -> None:
    messages, _ = run_action(ActionDefaultFallback(), make_tracker("发票最晚什么时候可以申请", intent="nlu_fallback"), domain)
    assert "90" in messages[0]["text"] and messages[1]["custom"]["citations"]


@pytest.mark.parametrize("text", ["", "🙂🙂🙂", "asdkjh qwe", "<script>alert(1)</script>"])
def test_the_core_fallback_is_never_silent(domain, text: str) -> None:
    messages, _ = run_action(ActionDefaultFallback(), make_tracker(text, intent="nlu_fallback"), domain)
    assert [m.get("text") for m in messages] == [NOT_UNDERSTOOD_TEXT], "nothing to ground an answer on: say so"


def test_the_core_fallback_forgets_the_message_so_it_is_not_predicted_again(domain) -> None:
    _, events = run_action(ActionDefaultFallback(), make_tracker("asdkjh qwe", intent="nlu_fallback"), domain)
    assert events[0]["event"] == "rewind", "without the revert Rasa repeats the fallback up to ten times"


def test_a_turn_already_answered_gets_no_second_reply(domain) -> None:
    tracker = make_tracker("京东自营的退货规则", intent="nlu_fallback")
    tracker.events.append({"event": "bot", "text": "不好意思，这个我帮不上忙。"})
    messages, events = run_action(ActionDefaultFallback(), tracker, domain)
    assert messages == [] and [e["event"] for e in events] == ["rewind"]
    fresh = make_tracker("asdkjh qwe", intent="nlu_fallback", history=[{"event": "bot", "text": "您好"}])
    assert run_action(ActionDefaultFallback(), fresh, domain)[0], "a reply before the message does not count"
