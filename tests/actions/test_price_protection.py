"""Price protection (价保): a request on the customer's own order within 7 days of the purchase."""
import sqlite3
from datetime import date, timedelta

import pytest

from actions.knowledge_service import shared_service
from actions.policy import price_protection_blocker
from actions.price_protection import ActionSubmitPriceProtect
from actions.shop.repository import Order
from actions.topic_answer import ActionAnswerTopic
from tests.actions.conftest import make_tracker, promised_tickets, run_action, slot_events, texts

TODAY = date(2026, 12, 7)


def order(status: str, days_ago: int) -> Order:
    created = (TODAY - timedelta(days=days_ago)).isoformat() + " 10:00:00"
    return Order("HW2026110099", 1, status, created, None, 99.0, "浙江省杭州市", None, None)


def verified(order_number: str):
    return make_tracker(slots={"order_number": order_number, "verified_order": order_number})


def test_the_rule_is_seven_days_from_the_purchase_for_a_paid_order() -> None:
    assert price_protection_blocker(order("已签收", 7), TODAY) is None
    assert price_protection_blocker(order("待发货", 0), TODAY) is None
    assert "超过了价保期" in price_protection_blocker(order("已签收", 8), TODAY)
    assert "还没有付款" in price_protection_blocker(order("待付款", 0), TODAY)
    assert "不能再申请价保" in price_protection_blocker(order("已退款", 2), TODAY)


def test_a_recent_order_gets_a_request_and_an_old_one_hears_why_not(shop, domain) -> None:
    messages, _ = run_action(ActionSubmitPriceProtect(), verified("HW2026110003"), domain)  # bought 6 days ago
    assert "已为您提交订单HW2026110003的价保申请" in texts(messages) and "差价" in texts(messages)
    assert [t["due_hours"] for t in promised_tickets(messages)] == [72.0], "1–3 working days, kept by a ticket"
    messages, _ = run_action(ActionSubmitPriceProtect(), verified("HW2026110005"), domain)  # 30 days ago
    assert "超过了价保期" in texts(messages)
    rows = sqlite3.connect(shop.db_path).execute("SELECT order_number FROM price_protection_requests").fetchall()
    assert rows == [("HW2026110003",)]


def test_an_unproven_order_gets_no_request(shop, domain) -> None:
    tracker = make_tracker(slots={"order_number": "HW2026110003", "verified_order": None})
    messages, _ = run_action(ActionSubmitPriceProtect(), tracker, domain)
    assert "价保申请" not in texts(messages) and texts(messages)


@pytest.fixture
def warm_service(knowledge_index: None) -> None:
    shared_service().warm_up()


def test_a_request_on_an_own_purchase_starts_the_form_and_a_rule_question_is_answered(shop, domain,
                                                                                     warm_service) -> None:
    own = make_tracker("前天买的运动鞋今天降价了 差价能退给我吗", intent="promotion_coupon", sender_id="u10002")
    messages, events = run_action(ActionAnswerTopic(), own, domain)
    assert {"event": "followup", "timestamp": None, "name": "price_protect_form"} in events
    assert slot_events(events)["order_number"] == "HW2026110003" and "HW2026110003" in texts(messages)
    numbered = make_tracker("订单2026110002降价了 退差价", intent="promotion_coupon")
    _, events = run_action(ActionAnswerTopic(), numbered, domain)
    assert {"event": "followup", "timestamp": None, "name": "price_protect_form"} in events
    question = make_tracker("价保怎么申请", intent="promotion_coupon", sender_id="u10002")
    messages, events = run_action(ActionAnswerTopic(), question, domain)
    assert not [e for e in events if e.get("event") == "followup"] and "7天" in texts(messages)
