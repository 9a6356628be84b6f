"""An identified customer's own order, picked by the items they name (actions/own_orders.py)."""
from actions.form_prompts import AskOrderNumber
from actions.own_orders import own_order_in, recent_orders_line
from actions.triage import ActionTriageRequest
from tests.actions.conftest import make_tracker, run_action, slot_events, texts, user_turn


def test_an_item_name_picks_the_customers_own_order(shop) -> None:
    assert own_order_in("u10002", "充电宝那单发了没") == "HW2026110002"  # 蓝牙耳机 + 充电宝
    assert own_order_in("u10002", "运动鞋到哪了") == "HW2026110003"
    assert own_order_in("u10002", "t恤那单现在降价了 能退差价不") == "HW2026110005"  # 纯棉T恤, any case
    assert own_order_in("u10002", "鞋子大了半码") == "HW2026110003"  # 鞋子: the everyday name of 运动鞋


def test_an_item_in_two_orders_is_picked_by_what_is_asked_or_left_to_the_form(shop, domain) -> None:
    # 蓝牙耳机 is in two of u10002's orders: HW2026110002 (待发货) and HW2026110041 (已签收)
    assert own_order_in("u10002", "耳机那单发了没") == "HW2026110002", "shipping: the undelivered one"
    assert own_order_in("u10002", "耳机坏了想退") == "HW2026110041", "a return: the delivered one"
    assert own_order_in("u10002", "耳机那单") is None, "nothing to choose by: the form asks"
    said = texts(run_action(AskOrderNumber(), make_tracker("耳机那单", sender_id="u10002"), domain)[0])
    assert said.startswith("您有2个订单含这件商品：HW2026110002") and "HW2026110041" in said


def test_an_order_pointed_at_by_its_state_is_picked_and_a_refund_means_the_one_under_way(shop) -> None:
    # u10003: 空气炸锅 in HW2026110093 (已取消) and HW2026110004 (退款中)
    assert own_order_in("u10003", "空气炸锅的退款到哪一步了") == "HW2026110004"
    assert own_order_in("u10003", "还有退款那个呢 钱啥时候回来") == "HW2026110004"
    assert own_order_in("u10001", "没付钱的那单不要了") is None, "two unpaid orders: the form asks"
    assert own_order_in("u10002", "退款那个呢") is None, "no order in that state"
    # u10001: 智能手表 in HW2026110008 (待付款) and HW2026110150 (已发货): where it is, or why it has
    # not shipped, could be either; only a refund prefers the one under way
    assert own_order_in("u10001", "手表到哪了") is None


def test_asking_again_after_a_digression_still_lists_the_named_items_orders(shop, domain) -> None:
    history = [user_turn("耳机那单", "order_status"), {"event": "active_loop", "name": "order_lookup_form"},
               {"event": "bot", "text": "您有2个订单含这件商品：…请问是哪一单？"}]
    tracker = make_tracker("大概还要几天到账", intent="ask_policy", sender_id="u10002", history=history,
                           active_loop="order_lookup_form")
    said = texts(run_action(AskOrderNumber(), tracker, domain)[0])
    assert said.startswith("您有2个订单含这件商品：HW2026110002") and "HW2026110041" in said, said
    earlier = [user_turn("耳机那单", "order_status"), {"event": "active_loop", "name": None},
               user_turn("查订单", "order_status"), {"event": "active_loop", "name": "order_lookup_form"}]
    fresh = make_tracker("嗯", sender_id="u10002", history=earlier, active_loop="order_lookup_form")
    assert texts(run_action(AskOrderNumber(), fresh, domain)[0]).startswith("您最近的订单"), \
        "an item named before this form started does not pick the list"


def test_another_customers_item_or_an_anonymous_sender_picks_nothing(shop) -> None:
    assert own_order_in("u10002", "空气炸锅的退款呢") is None, "空气炸锅 is u10003's order"
    assert own_order_in("web-visitor-1", "运动鞋到哪了") is None


def test_the_order_prompt_lists_an_identified_customers_recent_orders(shop, domain) -> None:
    said = texts(run_action(AskOrderNumber(), make_tracker("查订单", sender_id="u10003"), domain)[0])
    assert "HW2026110006" in said and "保温杯" in said and "哪一单" in said
    anonymous = texts(run_action(AskOrderNumber(), make_tracker("查订单"), domain)[0])
    assert "HW2026110006" not in anonymous and "订单号" in anonymous


def test_triage_starts_the_form_with_the_named_order(shop, domain) -> None:
    tracker = make_tracker("帮我看下保温杯那单到哪了", intent="track_logistics", sender_id="u10003")
    assert slot_events(run_action(ActionTriageRequest(), tracker, domain)[1]) == {
        "request_kind": "task", "order_number": "HW2026110006"}


def test_the_recent_orders_line_is_none_for_anonymous_senders(shop) -> None:
    assert recent_orders_line("web-visitor-1") is None
