"""Is a message a question about the shop's rules, or a request to act on the customer's own order?

"预售的东西一般多久发" and "换货还要再付运费吗" name an order topic, so the classifier gives them the
topic's intent (order_status, return_exchange…), whose form would ask for an order number. A
service agent answers the rule first and offers to look at the order. The signals below are about
the *shape* of the message, not its topic, so they hold for topics the bot has never seen:

- an order number or a request verb addressed to the shop (帮我查 / 给我退 / 申请换) means a task;
- a general marker (一般 / 通常 / 规定 / …的话) means a question;
- a mistake of the customer's own (地址填错了) means a task;
- a question without a reference to the customer's own order means a question;
- a reference to the customer's own order or parcel (我的快递 / 这单 / 我买的… / 我刚才买了… / 我之前
  那个订单), an instruction (a
  message that opens with 查 / 修改 / 取消…) or a short keyword request (订单状态) means a task.
Anything else is `unsure`: the caller answers when the knowledge base can, and offers to look.
"""
from __future__ import annotations

import re
from typing import Literal

from actions.parsing import normalize_order_number

RequestKind = Literal["task", "question", "unsure"]

_REQUEST = re.compile(r"(帮我|帮忙|帮下|帮个忙|给我|替我|麻烦(你|您)?|请(你|您)?帮?|我要|我想要?|我需要|我得|申请|"
                      r"能不能帮|可以帮|能帮)[^，。！？,.!?]{0,6}"
                      r"(查|看|取消|退|换|改|修改|开|处理|催|登记|办|弄|拦截|安排|补发|重发|加急)"
                      r"|(想|要|得)(退|换|取消)|退了吧|取消吧|换了吧|退掉|取消掉|申请(售后|价保)|(退|补|返)给我")
# A message that opens with an action verb is an instruction ("查物流", "修改收货地址", "取消订单");
# one that says the customer got something wrong is about their own order ("地址填错了").
_IMPERATIVE = re.compile(r"^(请|麻烦|亲)?[，, ]?(帮我|帮忙)?(查|看下|看一下|看看|取消|改|修改|更改|催|申请)")
KEYWORD_CHARS = 6  # "订单状态", "物流信息": a short message without a question is a menu-style request
_OWN_MISTAKE = re.compile(r"(填|写|买|拍|下|选|留)错了|错了地址|地址错了")
GENERAL_MARKER = re.compile(r"一般|通常|平时|正常(情况)?|规定|政策|规则|流程|标准|是不是都|都是|都能|都可以|的话|如果|要是|假如|万一")
_QUESTION = re.compile(r"[吗么呢嘛？?]|[不没][？?。.]*$|多久|几天|多少|多长|怎么|怎样|如何|谁出|谁付|谁承担|能不能|可不可以|"
                       r"可以不|能否|是否|还能|还可以|什么时候|啥时候|哪些|哪里|在哪|哪儿|算不算|包不包|要不要|用不用|有没有")
_OWN_ORDER = re.compile(r"我的[\u4e00-\u9fffA-Za-z]|我(刚|昨天|前天|上周|今天|之前)?(买|拍|下单|订)的|我(那|这)(个|件|单)|"
                        r"我(刚才|刚刚|昨天|前天|今天|上周|之前|前几天)?刚?(买|拍|订|下单)(了|的)|"
                        r"我(之前|上次|刚才|刚刚|前几天)?(的|那个|这个|有一个|有个)?(订单|单子|包裹)|"
                        r"(这|那)(个)?单|这个订单|那个订单|我家的|我退的|我寄的|到哪(了|里了|儿了)|怎么还没|还没(到|发|收到|退)|"
                        r"没有?收到(货|包裹|快递|东西|商品|[这那])")


def request_kind(text: str) -> RequestKind:
    """task, question or unsure, from the message's shape (see the module docstring)."""
    stripped = text.strip()
    if normalize_order_number(text) or _REQUEST.search(text):
        return "task"
    if GENERAL_MARKER.search(text):
        return "question"
    if _OWN_MISTAKE.search(text):
        return "task"
    own = _OWN_ORDER.search(text) is not None
    asks = _QUESTION.search(text) is not None
    if asks and not own:
        return "question"
    if own or _IMPERATIVE.search(stripped) or (not asks and len(stripped) <= KEYWORD_CHARS):
        return "task"
    return "unsure"


def asks_to_act(text: str) -> bool:
    """A request to act or a reference to the customer's own order ("保温杯那单帮我开个发票"), without
    the short-keyword reading: for topics that are mostly questions, only a clear request is a task."""
    return bool(_REQUEST.search(text) or _OWN_ORDER.search(text) or _IMPERATIVE.search(text.strip()))
