"""The shape of a message says question or task, whatever its topic (actions/request_kind.py)."""
import pytest

from actions.request_kind import request_kind


@pytest.mark.parametrize("text", [
    "预售的东西一般多久发", "换货还要再付运费吗", "优惠券过期了还能退回来吗", "退款通常几天到账",
    "要是地址填错了能改吗", "发货用的什么快递", "签收以后还能拒收吗",
])
def test_questions_about_the_rules_are_questions(text: str) -> None:
    assert request_kind(text) == "question"


@pytest.mark.parametrize("text", [
    "帮我查一下订单", "我的快递到哪了", "HW2026110001", "订单２０２６１１０００３", "我要退货",
    "麻烦帮我把地址改一下", "我昨天买的耳机怎么还没发货", "这单给我取消掉", "申请换货",
    "我有个订单要改地址", "我之前那个订单的发票呢", "我刚刚买的吹风机能退吗", "我买了个台灯 发票在哪",
    "帮忙拦截下订单 不想要了", "请尽快安排配送", "申请售后 吧", "差价能退给我吗", "我没有收到这本书",
])
def test_requests_about_the_customers_own_order_are_tasks(text: str) -> None:
    assert request_kind(text) == "task"


def test_a_general_marker_wins_over_a_mention_of_the_customers_order() -> None:
    assert request_kind("我的订单一般几天能到") == "question"
    assert request_kind("我的订单一般几天能到 订单号HW2026110001") == "task", "an order number always means a task"


def test_wanting_to_buy_is_not_an_own_order() -> None:
    assert request_kind("我想买个台灯 有优惠吗") == "question"
    assert request_kind("我买了东西一般多久到") == "question", "a general marker still wins"


def test_a_bare_statement_is_unsure() -> None:
    assert request_kind("快递员今天打电话了") == "unsure"


@pytest.mark.parametrize("text", ["查物流", "查订单", "修改收货地址", "取消订单", "地址写错了", "收货地址填错了 能改吗"])
def test_instructions_and_the_customers_own_mistakes_are_tasks(text: str) -> None:
    assert request_kind(text) == "task"
