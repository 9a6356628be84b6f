import pytest

from actions.parsing import mask_phone_numbers, normalize_order_number, parse_phone_tail


@pytest.mark.parametrize("text", ["HW2026110001", "hw2026110001", "HW 2026110001", "2026110001",
                                  "订单号是HW2026110001谢谢", "ＨＷ２０２６１１０００１", "hw-2026110001"])
def test_order_numbers_are_normalised(text: str) -> None:
    assert normalize_order_number(text) == "HW2026110001"


@pytest.mark.parametrize("text", ["HW12345", "20261100012", "不记得了", "", "13800005678"])
def test_malformed_order_numbers_are_rejected(text: str) -> None:
    assert normalize_order_number(text) is None


@pytest.mark.parametrize("text, tail", [("5678", "5678"), ("尾号5678", "5678"), ("后四位是 5678", "5678"),
                                        ("13800005678", "5678"), ("５６７８", "5678")])
def test_phone_tails_are_parsed(text: str, tail: str) -> None:
    assert parse_phone_tail(text) == tail


@pytest.mark.parametrize("text", ["567", "不知道", "1234 5678"])
def test_ambiguous_or_short_tails_are_rejected(text: str) -> None:
    assert parse_phone_tail(text) is None


def test_phone_numbers_are_masked() -> None:
    assert mask_phone_numbers("我的电话13800005678") == "我的电话138****5678"


def test_a_phone_tail_is_read_beside_other_words_only_when_marked() -> None:
    from actions.parsing import marked_phone_tail

    assert marked_phone_tail("订单2026110002 手机尾号1234 发货没") == "1234"
    assert marked_phone_tail("2026110002 13812345678") == "5678"
    assert marked_phone_tail("订单号2026110002 1234") is None
    assert marked_phone_tail("HW2026110002") is None
