"""The handoff contract between the action server and the gateway, written once.

The bot's `action_handoff` sends `{"handoff": Handoff(...).to_payload()}` as a custom message; the
gateway reads it back with `Handoff.from_payload(...)`, routes it by problem class and queues it.
Both processes import this module, so it imports nothing but the standard library (and never
`bot.config`, which imports it for its defaults).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

# Problem classes: what the customer's problem is about; the gateway routes each to an agent group.
COMPLAINT = "投诉类"
SUGGESTION = "建议类"
FAULT = "故障类"
OPERATION = "操作类"
INQUIRY = "咨询类"
DEFAULT_PROBLEM_CLASS = INQUIRY
PROBLEM_CLASSES = (COMPLAINT, FAULT, OPERATION, INQUIRY, SUGGESTION)

# `gateway.routing`'s default: problem class → agent group.
DEFAULT_ROUTING = (f"{COMPLAINT}=投诉", f"{FAULT}=售后", f"{OPERATION}=售后", f"{INQUIRY}=咨询",
                   f"{SUGGESTION}=咨询")

# Words that make a handoff urgent: the bot raises the priority when a customer says one; the
# gateway's own safety net (`gateway.risk_words`) also hands off on "投诉" itself.
RISK_WORDS = ("12315", "消协", "曝光", "媒体", "律师", "起诉", "报警", "法院")
GATEWAY_RISK_WORDS = ("投诉", *RISK_WORDS)

# What a customer hears when neither the bot nor the knowledge base understood them: the core
# fallback (actions/fallback.py) and the gateway's last safety net (bot/gateway/router.py) say it.
NOT_UNDERSTOOD_TEXT = "抱歉，我没太明白您的意思。您可以换个说法再说一次，或回复“转人工”联系人工客服。"

# "转人工", "给我接个真人", "叫你们客服来": the customer asks to be put through
ASKS_TO_BE_PUT_THROUGH = re.compile(r"(转|接|找|要|叫|换|来|请|给我|帮我|让)[^，。！？,.!?]{0,4}(人工|真人|客服|人)|"
                                    r"(人工|真人|客服)(呢|来|过来)|^\s*(人工|真人|人工客服)\s*[！!。.]*\s*$")


def asks_to_be_put_through(text: str) -> bool:
    """True when the customer asks for a person ("叫个人来处理"), not when they ask about one."""
    return ASKS_TO_BE_PUT_THROUGH.search(text or "") is not None


# The words of an explicit request for a person, strict enough to act on whatever else the message
# says ("我要转人工 订单号…", "修改发票 我要转人工", "人工服务 在吗"): the intent classifier may read the
# order or the invoice instead, but the customer asked for a person (bot/gateway/router.py).
REQUEST_HUMAN_INTENT = "request_human"
_PERSON_REQUEST = re.compile(r"转人工|转接人工|转个人工|人工服务|找人工|要人工|接人工|叫人工|换人工|真人客服|"
                             r"转(接)?客服|人工客服|^\s*人工\s*[!！。.]*\s*$")
_STRONG_REQUEST = re.compile(r"转人工|转接人工|转个人工|找人工|要人工|接人工|叫人工|换人工|转(接)?客服")
_ABOUT_THE_SERVICE = re.compile(r"几点|什么时候|时间|电话|号码|上班|下班|周末|节假日")
_DECLINED = re.compile(r"(不用|不要|别|无需|不需要|不想|不必)[^，。！？,.!?]{0,3}(转|找|要|接|叫)?(人工|客服|真人)")


def explicitly_asks_for_a_person(text: str) -> bool:
    """"转人工", "人工服务 在吗", "修改发票 我要转人工"; not "人工客服几点上班" (about the service, unless
    it also says 转人工) and not "不用转人工"."""
    text = text or ""
    if _DECLINED.search(text) or not _PERSON_REQUEST.search(text):
        return False
    return not _ABOUT_THE_SERVICE.search(text) or _STRONG_REQUEST.search(text) is not None


DEFAULT_PRIORITY = "normal"
HIGH_PRIORITY = "high"

MESSAGE_KEY = "handoff"
"""The key of the bot's custom message (`{"handoff": payload}`) that asks the gateway for a person."""


@dataclass(frozen=True)
class Handoff:
    """Why the conversation goes to a person, how urgently, about what, and what was said so far."""
    reason: str
    priority: str = DEFAULT_PRIORITY
    problem_class: str = DEFAULT_PROBLEM_CLASS
    summary: str = ""

    def to_payload(self) -> dict[str, str]:
        return {"reason": self.reason, "priority": self.priority, "problem_class": self.problem_class,
                "summary": self.summary}

    @classmethod
    def from_payload(cls, payload: Any, default_reason: str = "") -> Handoff:
        """Read a payload as the gateway always has: a missing or empty value takes its default
        (`default_reason` for the reason, e.g. the trigger), anything else is turned into text."""
        values = payload if isinstance(payload, dict) else {}
        return cls(reason=str(values.get("reason") or default_reason),
                   priority=str(values.get("priority") or DEFAULT_PRIORITY),
                   problem_class=str(values.get("problem_class") or DEFAULT_PROBLEM_CLASS),
                   summary=str(values.get("summary") or ""))


def handoff_payload_in(custom: Any) -> dict[str, Any] | None:
    """The handoff payload a bot reply's custom message carries, if it carries one (a dict)."""
    if isinstance(custom, dict) and isinstance(custom.get(MESSAGE_KEY), dict):
        return custom[MESSAGE_KEY]
    return None
