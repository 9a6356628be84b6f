"""Risk words are words the customer meant: not part of an address, a product or a name, not negated
or withdrawn (bot/risk/words.py)."""
import pytest

from bot.handoff import GATEWAY_RISK_WORDS
from bot.risk.words import first_risk_word


@pytest.mark.parametrize("text, word", [
    ("我要投诉你们", "投诉"), ("再这样我就打12315", "12315"), ("我会让律师发律师函", "律师"),
    ("不给退我就报警", "报警"), ("别逼我去法院起诉", "法院"), ("投訴你們客服", "投诉"),
])
def test_a_risk_word_the_customer_means_is_found(text: str, word: str) -> None:
    assert first_risk_word(text, GATEWAY_RISK_WORDS) == word


@pytest.mark.parametrize("text", [
    "收货地址改成投诉路18号", "北京市朝阳区法院东路7号院", "烟雾报警器什么时候到货", "报警灯坏了能换吗",
    "投诉就不用了，帮我换个货就行", "不是要投诉，就问问", "我不想起诉，只想退款", "要是还不到我就投诉了…算了不急",
    "本来想投诉你们的 想想算了 不投诉了 你就帮我看看羽绒服寄到哪了", "刚才说找律师是开玩笑的 东西挺好",
])
def test_addresses_products_negations_and_withdrawals_are_not_risk(text: str) -> None:
    assert first_risk_word(text, GATEWAY_RISK_WORDS) is None



def test_a_word_withdrawn_in_one_place_is_withdrawn_in_the_whole_message_but_others_still_count() -> None:
    assert first_risk_word("投诉你们…算了不投诉了", GATEWAY_RISK_WORDS) is None
    assert first_risk_word("不投诉了 但我要找律师", GATEWAY_RISK_WORDS) == "律师"
