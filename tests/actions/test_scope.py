"""Another platform's orders and rules are out of scope (actions/scope.py)."""
import pytest

from actions.knowledge_answer import ActionAnswerFromKnowledge
from actions.scope import about_another_platform
from actions.triage import ActionTriageRequest
from tests.actions.conftest import make_tracker, run_action

OUT_OF_SCOPE = {"event": "followup", "timestamp": None, "name": "utter_out_of_scope"}


@pytest.mark.parametrize("text", ["我淘宝买的东西一直没发货", "京东自营的退货规则是怎样的", "在拼多多上买的耳机坏了"])
def test_another_platforms_business_is_recognised(text: str) -> None:
    assert about_another_platform(text)


@pytest.mark.parametrize("text", ["你们比淘宝便宜吗", "能发京东物流吗", "你们家的退货规则", ""])
def test_questions_about_this_shop_are_not(text: str) -> None:
    assert not about_another_platform(text)


def test_the_triage_and_the_knowledge_answer_hand_it_to_the_out_of_scope_response(shop, domain) -> None:
    _, events = run_action(ActionTriageRequest(), make_tracker("我淘宝买的东西一直没发货 帮我查查", intent="order_status"),
                           domain)
    assert events[-1] == OUT_OF_SCOPE
    messages, events = run_action(ActionAnswerFromKnowledge(), make_tracker("京东自营的退货规则是怎样的",
                                                                            intent="nlu_fallback"), domain)
    assert messages == [] and events[-1] == OUT_OF_SCOPE
