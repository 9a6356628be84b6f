"""Topic intents ask the real knowledge base first and keep the designer's response as a fallback."""
import pytest

from actions.knowledge_service import shared_service
from actions.topic_answer import TOPIC_INTENTS, ActionAnswerTopic, static_response_for
from tests.actions.conftest import make_tracker, run_action, slot_events


@pytest.fixture(scope="module", autouse=True)
def warm_service(knowledge_index: None) -> None:
    shared_service().warm_up()


@pytest.mark.parametrize("question, intent, expected", [
    ("下单三个月了还能补开发票吗", "invoice", "90天"),
    ("公司报销要专用发票能开吗", "invoice", "专用发票"),
])
def test_a_specific_policy_question_gets_the_knowledge_answer_with_citations(domain, question, intent,
                                                                            expected) -> None:
    messages, events = run_action(ActionAnswerTopic(), make_tracker(question, intent=intent), domain)
    assert expected in messages[0]["text"]
    assert messages[1]["custom"]["citations"]
    trace = slot_events(events)["knowledge_trace"]
    assert trace["answered_by"] == "knowledge" and trace["intent"] == intent


def test_when_the_knowledge_base_abstains_the_static_response_answers(domain) -> None:
    messages, events = run_action(ActionAnswerTopic(), make_tracker("😀😀😀", intent="invoice"), domain)
    assert [message.get("response") for message in messages] == ["utter_invoice"]
    slots = slot_events(events)
    assert slots["knowledge_trace"]["answered_by"] == "static_response"
    assert "knowledge_found" not in slots, "topic answers must not enter the low-confidence fallback chain"


def test_every_topic_intent_has_a_static_response_in_the_domain(domain) -> None:
    missing = [intent for intent in TOPIC_INTENTS if static_response_for(intent, domain) is None]
    assert missing == []


def test_inside_the_return_form_who_pays_shipping_is_answered_for_this_return(domain) -> None:
    for reason, expected in (("鞋底开胶了", "由好物优选承担"), ("尺码不合适", "需要您承担")):
        tracker = make_tracker("寄回去的运费谁出", intent="return_shipping_fee", active_loop="return_form",
                               slots={"return_reason": reason})
        messages, events = run_action(ActionAnswerTopic(), tracker, domain)
        assert expected in messages[0]["text"], messages
        assert slot_events(events)["knowledge_trace"]["answered_by"] == "return_form_case"
    outside = make_tracker("寄回去的运费谁出", intent="return_shipping_fee", slots={"return_reason": "尺码不合适"})
    messages, _ = run_action(ActionAnswerTopic(), outside, domain)
    assert "这次" not in messages[0]["text"], "outside the form the rule is answered in general"
