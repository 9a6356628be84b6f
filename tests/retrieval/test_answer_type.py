"""A "how much" question needs an answer that names an amount, a "phone number?" one a number
(retrieval/answer_type.py)."""
import pytest

from retrieval.answer_type import asks_for_amount, missing_answer_type


@pytest.mark.parametrize("question", ["偏远附加费多少", "顺丰到付的话要多少钱", "开专票要加几个点", "改地址要加钱不",
                                      "上门取件怎么收费", "运费险多少一份"])
def test_questions_that_ask_how_much(question: str) -> None:
    assert asks_for_amount(question)


@pytest.mark.parametrize("question", ["寄到拉萨要几天", "能开专票吗", "多少天能退款", "积分有多少用处"])
def test_questions_that_do_not(question: str) -> None:
    assert not asks_for_amount(question)


@pytest.mark.parametrize("answer", ["不满99元收取8元运费。", "金卡会员享受95折。", "质量问题的运费由店铺承担。",
                                    "发货前取消订单免费。", "满99元包邮。", "100积分抵扣1元。"])
def test_answers_that_name_an_amount_or_none_to_pay(answer: str) -> None:
    assert missing_answer_type("运费要多少钱", answer) == ""


def test_an_answer_beside_the_point_is_caught_and_other_questions_are_left_alone() -> None:
    remote = "新疆、西藏、青海等偏远地区发货后一般需要5–7天送达。"
    assert missing_answer_type("寄新疆要加钱不 偏远附加费多少", remote) == "amount"
    assert missing_answer_type("寄新疆要几天", remote) == ""


def test_a_question_for_a_phone_number_needs_one() -> None:
    assert missing_answer_type("能给我快递小哥电话吗", "默认使用中通快递；大件商品使用京东物流。") == "phone"
    assert missing_answer_type("客服电话是多少", "好物优选客服电话是400-820-8820。") == ""
    assert missing_answer_type("有人打电话说要给我退款", "请不要转账。") == "", "mentions a call, asks for no number"


def test_the_service_declines_a_how_much_question_its_best_item_does_not_price(demo_service) -> None:
    declined = demo_service.answer("寄新疆要加钱不 偏远附加费多少")
    assert declined.abstained and declined.reason == "answer_lacks_amount" and declined.offer_human
    assert declined.citations == [], "nothing is cited for an answer the customer does not get"
    priced = demo_service.answer("买了60块钱的东西要付邮费吗")
    assert not priced.abstained and "8元" in priced.text and priced.citations
