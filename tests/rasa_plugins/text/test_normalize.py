"""One spelling before NLU, retrieval and the risk check (rasa_plugins/text/normalize.py)."""
import pytest

from rasa_plugins.text.normalize import normalize_text


@pytest.mark.parametrize("typed, read", [
    ("請問我的訂單出貨了沒", "请问我的订单出货了没"),
    ("退貨運費誰出？", "退货运费谁出？"),
    ("ＨＷ２０２６１１０００１", "HW2026110001"),
    ("订单　１２３", "订单 123"),
    ("发票怎么开", "发票怎么开"),
])
def test_traditional_and_full_width_input_reads_as_simplified_ascii(typed: str, read: str) -> None:
    assert normalize_text(typed) == read


@pytest.mark.parametrize("text", ["請問我的訂單ＨＷ２０２６１１０００１出貨了沒，乾燥後來…", "😀😀", "a\ud800b", "\x00二進制", ""])
def test_the_length_never_changes_and_nothing_raises(text: str) -> None:
    assert len(normalize_text(text)) == len(text)


def test_chinese_punctuation_stays() -> None:
    assert normalize_text("好的，谢谢！") == "好的，谢谢！"
