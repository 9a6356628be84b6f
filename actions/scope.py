"""Another shop's business is out of scope: "我淘宝买的东西一直没发货", "京东自营的退货规则是怎样的".

The knowledge base and the order tools only know this shop: a question about another platform's
orders or rules would get this shop's rule with a citation (a confident answer to a different
question) or an order form that cannot find the order. Such a message gets the designer's
`utter_out_of_scope` response instead. A comparison that is about this shop ("比淘宝便宜吗",
"发京东物流吗") is not another platform's business and goes on as usual.
"""
from __future__ import annotations

import re
from typing import Any, Dict, List, Text

from rasa_sdk.events import FollowupAction

PLATFORMS = r"(淘宝|天猫|拼多多|京东自营|京东商城|京东|抖音|快手|唯品会|苏宁|闲鱼|亚马逊)"
_THEIR_BUSINESS = re.compile(PLATFORMS + r"(上|里|那边|那儿)?(的|买|下单|订|拍|店|自营|订单|规则|客服|退|换|售后|会员|优惠|活动|券)"
                             r"|在" + PLATFORMS + r"(上)?(买|下单|订|拍)")
_ABOUT_US = re.compile(r"比" + PLATFORMS + r"|和" + PLATFORMS + r"(比|一样)|" + PLATFORMS + r"(物流|快递)")


def about_another_platform(text: str) -> bool:
    return bool(_THEIR_BUSINESS.search(text or "")) and not _ABOUT_US.search(text or "")


def out_of_scope_events() -> List[Dict[Text, Any]]:
    """Let the domain's out-of-scope response answer (its wording is the designer's)."""
    return [FollowupAction("utter_out_of_scope")]
