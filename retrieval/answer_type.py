"""Does the answer give what the question asks for? Today: an amount, or a phone number.

"偏远附加费多少" retrieved the remote-area item ("新疆、西藏、青海…5–7天送达"): the right topic, close
in meaning and words, so the retrieval checks (retrieval/abstain.py) let it through, and the customer
got a cited answer that never says how much. A question that asks how much (多少钱 / 收多少 / 加几个
点 / 要加钱吗) is answered only by a text that names an amount or says there is none to pay (8元,
95折, 免费, 由店铺承担); otherwise the bot says it does not know rather than answering beside the
point. A question that asks for a phone number (电话多少 / 联系方式) needs one in the answer: "快递小哥
电话" is not answered by the list of carriers. The check reads the question's shape and the answer's text, not any topic, so it holds for
knowledge items and questions the bot has never seen.
"""
from __future__ import annotations

import re

ASKS_FOR_AMOUNT = re.compile(
    r"多少钱|要多少|收多少|补多少|赔多少|付多少|退多少|费多少|花多少|多少(块|元|费)|几块钱|几个点|加钱|"
    r"额外收费|另外收费|怎么收费|咋收费|怎么收钱|运费咋收|价格多少|多少一")
NAMES_AN_AMOUNT = re.compile(
    r"\d+(\.\d+)?\s*(元|块|%|折)|免费|不收|无需|不需要|包邮|由.{0,6}承担|不额外|不加收|零元|百分之|积分抵扣")

ASKS_FOR_PHONE = re.compile(r"电话(号码|号)?(是)?多少|电话号码|联系方式|什么电话|(给我|告诉我|发我).{0,6}电话|电话呢|手机号(是)?多少")
NAMES_A_PHONE = re.compile(r"\d{3,4}[-－ ]?\d{3,4}[-－ ]?\d{3,4}")
ANSWER_TYPES = (("amount", ASKS_FOR_AMOUNT, NAMES_AN_AMOUNT), ("phone", ASKS_FOR_PHONE, NAMES_A_PHONE))


def asks_for_amount(question: str) -> bool:
    return ASKS_FOR_AMOUNT.search(question or "") is not None


def missing_answer_type(question: str, answer: str) -> str:
    """The kind of fact the question asks for and the answer lacks ("amount", "phone"), else ""."""
    for kind, asks, names in ANSWER_TYPES:
        if asks.search(question or "") and names.search(answer or "") is None:
            return kind
    return ""
