"""Returns follow the shop facts: 7 days no reason, 15 days quality, excluded categories."""
from actions.returns import ActionSubmitReturn, ValidateReturnForm
from tests.actions.conftest import make_tracker, run_action, slot_events, texts


def submit(shop, domain, order_number: str, reason: str, condition: str):
    tracker = make_tracker(slots={"order_number": order_number, "verified_order": order_number,
                                  "return_reason": reason, "item_condition": condition})
    messages, events = run_action(ActionSubmitReturn(), tracker, domain)
    return texts(messages), slot_events(events)


def count_returns(shop) -> int:
    return shop._connection.execute("SELECT COUNT(*) FROM return_requests").fetchone()[0]


def test_no_reason_return_within_seven_days_is_accepted_and_customer_pays_shipping(shop, domain) -> None:
    said, slots = submit(shop, domain, "HW2026110003", "尺码不合适", "未拆封")
    assert "申请编号R000001" in said and "运费由您承担" in said and "12元" in said
    assert slots == {"return_reason": None, "item_condition": None, "filed_request": "return|R000001|HW2026110003"}, \
        "the request is remembered so that the customer can take it back (actions/withdrawal.py)"
    assert count_returns(shop) == 1


def test_quality_problem_is_accepted_and_the_shop_pays_shipping(shop, domain) -> None:
    said, _ = submit(shop, domain, "HW2026110003", "商品破损", "已使用")
    assert "由好物优选承担" in said
    row = shop._connection.execute("SELECT shipping_paid_by FROM return_requests").fetchone()
    assert row == ("商家",)


def test_used_items_are_refused_for_no_reason_returns(shop, domain) -> None:
    said, _ = submit(shop, domain, "HW2026110003", "不喜欢", "已使用")
    assert "已使用的商品无法办理" in said
    assert count_returns(shop) == 0


def test_underwear_is_excluded_from_no_reason_returns(shop, domain) -> None:
    said, _ = submit(shop, domain, "HW2026110007", "不喜欢", "未拆封")
    assert "保暖内衣" in said and "不支持七天无理由退货" in said


def test_orders_past_the_window_or_not_delivered_are_refused(shop, domain) -> None:
    assert "超出了退换货期限" in submit(shop, domain, "HW2026110005", "质量问题", "未拆封")[0]
    assert "包裹还在路上" in submit(shop, domain, "HW2026110001", "不喜欢", "未拆封")[0]
    assert count_returns(shop) == 0


def test_unverified_orders_are_never_touched(shop, domain) -> None:
    tracker = make_tracker(slots={"order_number": "HW2026110003", "return_reason": "不喜欢",
                                  "item_condition": "未拆封"})
    messages, _ = run_action(ActionSubmitReturn(), tracker, domain)
    assert "身份核对没有通过" in texts(messages)
    assert count_returns(shop) == 0


def test_item_condition_answers_are_classified(shop, domain) -> None:
    def condition(text: str):
        tracker = make_tracker(text, candidates={"item_condition": text},
                               slots={"order_number": "HW2026110003", "verified_order": "HW2026110003",
                                      "return_reason": "不喜欢"}, active_loop="return_form")
        messages, events = run_action(ValidateReturnForm(), tracker, domain)
        return slot_events(events)["item_condition"], texts(messages)

    assert condition("还没拆封呢")[0] == "未拆封"
    assert condition("吊牌还在 没穿过")[0] == "已拆封未使用"
    assert condition("穿过一次")[0] == "已使用"
    value, said = condition("嗯")
    assert value is None and "未拆封、已拆封未使用" in said


def test_a_form_for_an_order_in_transit_stops_after_verification(shop, domain) -> None:
    tracker = make_tracker("5678", candidates={"phone_tail": "5678"},
                           slots={"order_number": "HW2026110001"}, active_loop="return_form")
    _, events = run_action(ValidateReturnForm(), tracker, domain)
    assert slot_events(events)["requested_slot"] is None
