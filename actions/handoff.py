"""Hand the conversation to a person: a `handoff` payload for the gateway plus ConversationPaused.

The gateway watches for `{"handoff": {...}}` in the bot's custom messages, queues the conversation
for an agent group and stops forwarding to Rasa (first-contact ownership: the agent gets the
reason, priority, problem class and a summary, so the customer never repeats themselves).
"""
import re
from datetime import datetime
from functools import lru_cache
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, ConversationPaused, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.knowledge_answer import answer_from_knowledge
from actions.parsing import mask_phone_numbers
from actions.store import shop_repository
from bot.config import load_config
from bot.handoff import (
    COMPLAINT,
    DEFAULT_PRIORITY,
    DEFAULT_PROBLEM_CLASS,
    FAULT,
    HIGH_PRIORITY,
    MESSAGE_KEY,
    OPERATION,
    RISK_WORDS,
    SUGGESTION,
    Handoff,
    asks_to_be_put_through,
)
from bot.risk.words import risk_words_in
from bot.service_hours import ServiceHours

PROBLEM_CLASSES = {
    "complaint": COMPLAINT,
    "suggestion": SUGGESTION,
    "logistics_delay": FAULT, "logistics_damaged": FAULT, "logistics_lost": FAULT,
    "delivery_failed": FAULT, "payment_failure": FAULT, "account_security": FAULT,
    "change_address": OPERATION, "cancel_order": OPERATION, "return_exchange": OPERATION,
}
GENERIC_INTENTS = {"greet", "goodbye", "thanks", "affirm", "deny", "stop", "inform",
                   "request_human", "chitchat", "out_of_scope", "nlu_fallback"}
REASONS = {"request_human": "customer_request", "nlu_fallback": "repeated_fallback",
           "affirm": "accepted_offer"}
SUMMARY_SLOTS = ("order_number", "product", "return_reason", "item_condition", "new_address",
                 "complaint_detail", "complaint_resolution", "amount", "date")
WORDS_IN_SUMMARY = 3
# what a question about the people asks: their hours, days or number
_ABOUT_PEOPLE = re.compile(r"几点|时间|电话|号码|热线|周末|节假日|假期|上班|下班|营业|怎么联系|联系方式|多久|24小时")
AFTER_PEOPLE_ANSWER = "需要的话，跟我说“转人工”就可以为您转接。"


def asks_about_people(text: str) -> bool:
    """A question about the people ("你们人工几点下班", "客服电话多少"), not a request for one: the
    classifier gives both `request_human`, but only the request should leave the bot."""
    return bool(_ABOUT_PEOPLE.search(text)) and not asks_to_be_put_through(text)


def user_turns(tracker: Tracker) -> List[Dict[Text, Any]]:
    return [event for event in tracker.events if event.get("event") == "user"]


def intent_history(tracker: Tracker) -> List[str]:
    return [(event.get("parse_data") or {}).get("intent", {}).get("name") or "?"
            for event in user_turns(tracker)]


def problem_class(intents: List[str]) -> str:
    """The class of the most recent intent that says what the problem is."""
    for intent in reversed(intents):
        if intent not in GENERIC_INTENTS:
            return PROBLEM_CLASSES.get(intent, DEFAULT_PROBLEM_CLASS)
    return DEFAULT_PROBLEM_CLASS


def is_risky(texts: List[str]) -> bool:
    """A risk word the customer used as a word and meant (bot/risk/words.py), in their own messages:
    never in slot values, where "法院东路" is an address and "烟雾报警器" a product."""
    return any(risk_words_in(text, RISK_WORDS) for text in texts)


def build_handoff(tracker: Tracker, reason: Optional[str] = None,
                  klass: Optional[str] = None, priority: Optional[str] = None) -> Dict[str, str]:
    """The payload the gateway routes on: reason, priority, problem_class, summary.

    `priority` forces the priority (e.g. "high" for strong anger); otherwise it follows the rules.
    """
    intents = intent_history(tracker)
    texts = [mask_phone_numbers(event.get("text") or "") for event in user_turns(tracker)]
    reason = reason or REASONS.get(intents[-1] if intents else "", "bot_decision")
    klass = klass or problem_class(intents)
    customer = shop_repository().customer_by_sender(tracker.sender_id)
    slot_values = {name: mask_phone_numbers(str(tracker.get_slot(name))) for name in SUMMARY_SLOTS
                   if tracker.get_slot(name)}
    high = (klass == COMPLAINT or is_risky(texts)
            or (customer is not None and customer.is_vip))
    slots = [f"{name}={value}" for name, value in slot_values.items()]
    parts = [f"{klass}；最近意图：{' → '.join(intents[-4:]) or '无'}"]
    if customer is not None:
        parts.append(f"客户：{customer.name}（{customer.tier}）")
    if slots:
        parts.append("已知信息：" + "，".join(slots))
    parts.append("客户原话：" + " / ".join(f"「{text}」" for text in texts[-WORDS_IN_SUMMARY:]))
    priority = priority or (HIGH_PRIORITY if high else DEFAULT_PRIORITY)
    return Handoff(reason=reason, priority=priority, problem_class=klass, summary="；".join(parts)).to_payload()


@lru_cache(maxsize=1)
def people_hours() -> ServiceHours:
    """The shop's service hours from kefu.yml (`service:`), the same ones the gateway uses."""
    return ServiceHours(load_config().service)


def handoff_message(hours: ServiceHours, now: Optional[datetime] = None) -> str:
    """What the customer hears when the bot hands over; the gateway adds the wait, or the ticket
    it opened when nobody can take the conversation now (bot/gateway/availability.py)."""
    if hours.is_open(now):
        return "好的，正在为您转接人工客服。您刚才说的情况我已经转告，不用再重复描述。"
    return (f"人工客服的服务时间是{hours.hours_text()}，现在不在服务时间。您的问题已经登记转交，"
            f"{hours.when_text(hours.next_opening(now), now)}上班后会第一时间处理，不用再重复描述。")


def handoff_events(dispatcher: CollectingDispatcher, tracker: Tracker, reason: Optional[str] = None,
                   klass: Optional[str] = None, priority: Optional[str] = None) -> List[Dict[Text, Any]]:
    """Tell the customer and the gateway, stop any form, and pause the bot."""
    dispatcher.utter_message(text=handoff_message(people_hours()))
    dispatcher.utter_message(json_message={MESSAGE_KEY: build_handoff(tracker, reason, klass, priority)})
    events: List[Dict[Text, Any]] = [ActiveLoop(None)] if tracker.active_loop_name else []
    return events + [ConversationPaused()]


class ActionHandoff(Action):
    def name(self) -> Text:
        return "action_handoff"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[Dict[Text, Any]]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if intent == "request_human" and asks_about_people(tracker.latest_message.get("text") or ""):
            answered, trace = await answer_from_knowledge(dispatcher, tracker)
            if answered:
                dispatcher.utter_message(text=AFTER_PEOPLE_ANSWER)
                # a form that was running asks its question again, as after any digression
                resume = [FollowupAction(tracker.active_loop_name)] if tracker.active_loop_name else []
                return [SlotSet("knowledge_trace", trace), *resume]
        return handoff_events(dispatcher, tracker)
