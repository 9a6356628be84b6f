"""What a customer handed off for risk is told: the class's advice, unless the class is only the
classifier's guess and the customer simply asked for a person."""
from bot.gateway.risk import DEFAULT_RISK_REPLY, RISK_REPLIES, risk_reply
from bot.risk.detector import RiskFinding


def test_a_request_for_a_person_flagged_by_the_classifier_gets_the_plain_transfer_text() -> None:
    guessed = RiskFinding("property_account", "model:0.97")
    assert risk_reply(guessed, "你别让我去找快递 叫个人来处理") == DEFAULT_RISK_REPLY
    assert risk_reply(guessed, "卡上莫名其妙多扣了两笔") == RISK_REPLIES["property_account"]


def test_a_risk_word_keeps_its_class_advice_even_with_a_request_for_a_person() -> None:
    worded = RiskFinding("safety_health", "word:受伤")
    assert risk_reply(worded, "孩子受伤了 快叫人来") == RISK_REPLIES["safety_health"]
