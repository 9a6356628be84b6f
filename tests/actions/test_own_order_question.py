"""A rule question about the customer's own order (ask_policy / nlu_fallback) gets the answer and the
order's task; the same question in general, or about the account, stays a question."""
import pytest

from actions.knowledge_answer import ActionAnswerFromKnowledge
from actions.knowledge_service import shared_service
from actions.own_order_question import about_own_order, task_form_for
from tests.actions.conftest import make_tracker, run_action, slot_events, texts


@pytest.fixture(scope="module", autouse=True)
def warm_service(knowledge_index: None) -> None:
    shared_service().warm_up()


def ranked(*names: str) -> dict:
    return {"intent": {"name": names[0]}, "intent_ranking": [{"name": name, "confidence": 0.1} for name in names]}


def followup(events) -> str | None:
    return next((event["name"] for event in events if event.get("event") == "followup"), None)


def test_the_topic_comes_from_the_classifiers_ranking_and_a_price_drop_is_price_protection() -> None:
    assert task_form_for(ranked("ask_policy", "greet", "return_exchange"), "还能退吗") == "return_form"
    assert task_form_for(ranked("nlu_fallback", "ask_policy", "cancel_order"), "还能取消吗") == "cancel_form"
    assert task_form_for(ranked("ask_policy", "return_exchange"), "降价了 差价能退给我吗") == "price_protect_form"
    assert task_form_for(ranked("ask_policy", "greet", "thanks", "chitchat", "cancel_order"), "x") == "order_lookup_form"


def test_only_a_message_about_an_order_of_ones_own_counts(shop) -> None:
    anonymous = make_tracker("")
    assert about_own_order(anonymous, "我的退货什么时候可以处理")
    assert about_own_order(anonymous, "我没有收到这本书")
    assert not about_own_order(anonymous, "我的积分怎么用")  # own shape, but the account, not an order
    assert not about_own_order(anonymous, "退货一般多久处理")
    buyer = make_tracker("", sender_id="u10002")
    assert about_own_order(buyer, "那件纯棉T恤 买了快一个月了 还能无理由退吗")
    assert about_own_order(buyer, "鞋子大了半码 能换小一码的吗")  # 鞋子: the everyday name of 运动鞋
    assert not about_own_order(buyer, "耳机保修多久")  # an item of theirs, but a question about the rule
    assert not about_own_order(buyer, "纯棉T恤一般能退吗")


def test_an_own_purchase_question_is_answered_and_its_form_starts(domain, shop) -> None:
    tracker = make_tracker("那件纯棉T恤 买了快一个月了 不太喜欢 还能无理由退吗", intent="ask_policy", sender_id="u10002")
    tracker.latest_message.update(ranked("ask_policy", "return_exchange", "greet"))
    messages, events = run_action(ActionAnswerFromKnowledge(), tracker, domain)
    slots = slot_events(events)
    assert "7天" in texts(messages) or "七天" in texts(messages)  # the rule, from the knowledge base
    assert "HW2026110005" in texts(messages)  # the T-shirt's order, picked by its item
    assert slots["order_number"] == "HW2026110005" and slots["request_kind"] == "task"
    assert slots["knowledge_found"] is True and followup(events) == "return_form"


def test_an_own_order_message_the_knowledge_base_cannot_answer_starts_the_lookup(domain, shop) -> None:
    tracker = make_tracker("你好，我这个订单没有反应了", intent="nlu_fallback")
    tracker.latest_message.update(ranked("nlu_fallback", "greet", "chitchat"))
    messages, events = run_action(ActionAnswerFromKnowledge(), tracker, domain)
    assert slot_events(events)["knowledge_found"] is True  # no "offer a person" after it
    assert followup(events) == "order_lookup_form"


def test_a_question_for_a_figure_of_the_rule_is_answered_without_a_form(domain, shop) -> None:
    tracker = make_tracker("我买的破壁机有质量问题 多少天内可以换", intent="ask_policy")
    tracker.latest_message.update(ranked("ask_policy", "return_exchange"))
    messages, events = run_action(ActionAnswerFromKnowledge(), tracker, domain)
    assert "15天" in texts(messages) and followup(events) is None
    which_way = make_tracker("要我自己申请还是你们自动退", intent="ask_policy")
    which_way.latest_message.update(ranked("ask_policy", "return_exchange"))
    assert followup(run_action(ActionAnswerFromKnowledge(), which_way, domain)[1]) is None, "A还是B asks the rule"


def test_a_general_question_and_a_question_inside_a_form_stay_questions(domain, shop) -> None:
    general = make_tracker("七天无理由退货需要满足什么条件", intent="ask_policy", sender_id="u10002")
    _, events = run_action(ActionAnswerFromKnowledge(), general, domain)
    assert followup(events) is None and "request_kind" not in slot_events(events)
    inside = make_tracker("我的退货什么时候可以处理", intent="ask_policy", active_loop="order_lookup_form")
    _, events = run_action(ActionAnswerFromKnowledge(), inside, domain)
    assert followup(events) is None
