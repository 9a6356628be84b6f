"""Which messages take a waiting customer out of the queue (bot/gateway/withdraw.py)."""
import pytest

from bot.gateway.withdraw import withdrawal


@pytest.mark.parametrize("text, rest", [
    ("算了 问你个事 退款多久到", "退款多久到"),
    ("算了", ""),
    ("不用人工了 谢谢", "谢谢"),
    ("我不等了！！", ""),
    ("算了吧，你们这破店我要投诉", "你们这破店我要投诉"),
])
def test_a_withdrawal_and_what_follows_it(text: str, rest: str) -> None:
    assert withdrawal(text) == rest


@pytest.mark.parametrize("text", ["怎么还没人", "人呢？", "订单号HW2026110001", "", "我算了一下运费不对"])
def test_other_messages_keep_the_customer_waiting(text: str) -> None:
    assert withdrawal(text) is None
