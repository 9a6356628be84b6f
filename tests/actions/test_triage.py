"""action_triage_request on the real knowledge base: rule questions are answered with an offer to look
at the order; requests on the customer's own order start the form (request_kind: task)."""
import pytest

from actions.knowledge_service import shared_service
from actions.triage import OFFER_ORDER_CHECK, ActionTriageRequest, own_order_events
from tests.actions.conftest import make_tracker, run_action, slot_events


@pytest.fixture(scope="module", autouse=True)
def warm_service(knowledge_index: None) -> None:
    shared_service().warm_up()


def test_a_rule_question_is_answered_with_citations_and_an_offer(domain) -> None:
    messages, events = run_action(ActionTriageRequest(), make_tracker("退款一般多久能到账", intent="refund_status"), domain)
    assert slot_events(events)["request_kind"] == "question"
    assert messages[1]["custom"]["citations"], "the answer is grounded and cited"
    assert messages[-1]["text"] == OFFER_ORDER_CHECK
    assert "工作日" in messages[0]["text"]


def test_a_request_on_the_customers_order_starts_the_task_without_an_answer(domain) -> None:
    messages, events = run_action(ActionTriageRequest(), make_tracker("帮我查下我的退款到哪一步了", intent="refund_status"),
                                  domain)
    assert slot_events(events) == {"request_kind": "task"}
    assert messages == []


@pytest.mark.parametrize("intent, text", [
    ("logistics_delay", "快递怎么这么慢 都一个星期了"), ("logistics_delay", "物流三天没动了 怎么回事"),
    ("logistics_lost", "显示已经签收了可是我根本没收到"), ("logistics_damaged", "收到的杯子是碎的 咋整"),
])
def test_a_parcel_problem_is_the_customers_own_even_when_asked_as_a_question(domain, intent: str, text: str) -> None:
    messages, events = run_action(ActionTriageRequest(), make_tracker(text, intent=intent), domain)
    assert slot_events(events) == {"request_kind": "task"} and messages == [], "sympathy and the lookup follow"


def test_a_parcel_problem_asked_in_general_is_answered(domain) -> None:
    tracker = make_tracker("快递一般几天没更新算延误", intent="logistics_delay")
    messages, events = run_action(ActionTriageRequest(), tracker, domain)
    assert slot_events(events)["request_kind"] == "question", "a general marker (一般): the rule, not the form"
    assert "1–3天" in messages[0]["text"] and messages[1]["custom"]["citations"]
    assert messages[-1]["text"] == OFFER_ORDER_CHECK


def test_an_order_number_entity_means_a_task(domain) -> None:
    tracker = make_tracker("2026110002 多久能到", intent="order_status",
                           entities=[{"entity": "order_number", "value": "HW2026110002", "start": 0, "end": 10}])
    assert slot_events(run_action(ActionTriageRequest(), tracker, domain)[1])["request_kind"] == "task"


def test_a_question_the_knowledge_base_cannot_answer_becomes_a_task(domain) -> None:
    messages, events = run_action(ActionTriageRequest(), make_tracker("🙂🙂🙂？", intent="order_status"), domain)
    assert slot_events(events)["request_kind"] == "task"
    assert messages == [], "the form will ask; nothing is said twice"


def test_an_order_number_outside_a_form_starts_the_order_lookup(shop, domain) -> None:
    from actions.knowledge_answer import ActionAnswerFromKnowledge

    messages, events = run_action(ActionAnswerFromKnowledge(), make_tracker("2026110006 帮忙看下", intent="nlu_fallback"),
                                  domain)
    assert messages == []
    assert {"event": "followup", "timestamp": None, "name": "order_lookup_form"} in events
    assert {"event": "slot", "timestamp": None, "name": "order_number", "value": "HW2026110006"} in events
    _, inside = run_action(ActionAnswerFromKnowledge(), make_tracker("2026110006", intent="nlu_fallback",
                                                                      active_loop="return_form"), domain)
    assert not any(event.get("event") == "followup" for event in inside), "a running form keeps the number"


def test_a_return_request_keeps_the_reason_and_condition_it_already_gave(shop, domain) -> None:
    tracker = make_tracker("运动鞋买大了 没穿过 想退", intent="return_exchange", sender_id="u10002")
    slots = slot_events(run_action(ActionTriageRequest(), tracker, domain)[1])
    assert slots == {"request_kind": "task", "order_number": "HW2026110003",
                     "return_reason": "运动鞋买大了 没穿过 想退", "item_condition": "已拆封未使用"}


def test_a_follow_up_about_the_order_just_shown_is_a_task(shop, domain) -> None:
    slots = {"order_number": "HW2026110002", "verified_order": "HW2026110002"}
    tracker = make_tracker("那能改个地址不", intent="change_address", sender_id="u10002", slots=slots)
    messages, events = run_action(ActionTriageRequest(), tracker, domain)
    assert slot_events(events)["request_kind"] == "task" and messages == []
    general = make_tracker("那一般发货后还能改地址吗", intent="change_address", sender_id="u10002", slots=slots)
    assert slot_events(run_action(ActionTriageRequest(), general, domain)[1])["request_kind"] == "question"


def test_a_return_names_the_order_its_words_picked(shop, domain) -> None:
    tracker = make_tracker("运动鞋穿着不合适 想退", intent="return_exchange", sender_id="u10002")
    messages, _ = run_action(ActionTriageRequest(), tracker, domain)
    assert "HW2026110003" in messages[0]["text"]


def test_a_question_about_an_item_the_customer_bought_is_about_that_purchase(shop, domain) -> None:
    question = "运动鞋大了半码 能换小一码的吗"
    own = make_tracker(question, intent="return_exchange", sender_id="u10002")
    slots = slot_events(run_action(ActionTriageRequest(), own, domain)[1])
    assert slots["request_kind"] == "task" and slots["order_number"] == "HW2026110003"
    guest = make_tracker(question, intent="return_exchange", sender_id="guest-1")
    assert slot_events(run_action(ActionTriageRequest(), guest, domain)[1])["request_kind"] == "question", \
        "without a purchase to refer to, it is a question about the rule"
    general = make_tracker("运动鞋一般能换码吗", intent="return_exchange", sender_id="u10002")
    assert slot_events(run_action(ActionTriageRequest(), general, domain)[1])["request_kind"] == "question"


def test_the_order_the_words_name_wins_over_one_looked_at_earlier(shop, domain) -> None:
    tracker = make_tracker("运动鞋那单退了吧", intent="return_exchange", sender_id="u10002",
                           slots={"order_number": "HW2026110002", "verified_order": "HW2026110002"})
    assert own_order_events(tracker, "运动鞋那单退了吧", False)[0]["value"] == "HW2026110003"


def test_words_that_name_several_orders_but_not_the_earlier_one_make_the_form_ask(shop, domain) -> None:
    """u10002 has two orders with 保暖内衣 (the demo shop's seeded data); neither is HW2026110002."""
    tracker = make_tracker("保暖内衣买小了 退了吧", intent="return_exchange", sender_id="u10002",
                           slots={"order_number": "HW2026110002", "verified_order": "HW2026110002"})
    named = own_order_events(tracker, "保暖内衣买小了 退了吧", False)
    assert named == [{"event": "slot", "timestamp": None, "name": "order_number", "value": None}]
    messages, events = run_action(ActionTriageRequest(), tracker, domain)
    assert "是订单None" not in "".join(m.get("text") or "" for m in messages)
    assert {"event": "slot", "timestamp": None, "name": "order_number", "value": "HW2026110002"} not in events


def test_a_return_of_an_item_excluded_from_seven_day_returns_is_told_so_at_once(shop, domain) -> None:
    messages, _ = run_action(ActionTriageRequest(), make_tracker("保暖内衣买小了 退了吧", intent="return_exchange"), domain)
    said = "".join(m.get("text") or "" for m in messages)
    assert "保暖内衣属于内衣类商品，不支持七天无理由退货" in said, said
    for text in ("保暖内衣破了个洞 想退", "运动鞋买大了 想退"):  # a quality problem; an item that may be returned
        messages, _ = run_action(ActionTriageRequest(), make_tracker(text, intent="return_exchange"), domain)
        assert "不支持七天无理由退货" not in "".join(m.get("text") or "" for m in messages), text
