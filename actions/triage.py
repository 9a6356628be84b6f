"""`action_triage_request`: before an order form starts, decide whether the customer asked a rule
question (answer it from the knowledge base, then offer to look at their order) or asked for an
action on their own order (the form starts). See actions/request_kind.py for the signals.

Contract with stories/forms.yml: the slot `request_kind` is `task` (the form follows) or
`question` (the answer and the offer were sent; an `affirm` next starts order_lookup_form).
A question the knowledge base cannot answer becomes a task: the form is the better help then.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.knowledge_answer import answer_from_knowledge
from actions.own_orders import matching_orders, own_order_in
from actions.parsing import normalize_order_number
from actions.request_kind import GENERAL_MARKER, request_kind
from actions.returns import excluded_item_note, return_details_in
from actions.scope import about_another_platform, out_of_scope_events
from retrieval.rewrite import is_follow_up

# forms that act on an order: the customer hears which order their words picked before it starts
CONFIRMED_INTENTS = ("return_exchange", "change_address", "cancel_order")
OFFER_ORDER_CHECK = "需要我帮您查一下具体订单吗？直接发订单号给我就行。"
# a parcel problem is the customer's own unless a general marker makes it a question about the rules
# ("下雨的话会不会晚到"): "快递怎么这么慢" is a complaint, and sympathy with the order lookup is its answer
PARCEL_PROBLEM_INTENTS = ("logistics_delay", "logistics_lost", "logistics_damaged")


def own_order_events(tracker: Tracker, text: str, has_order_entity: bool) -> List[Dict[Text, Any]]:
    """An identified customer who names one of their orders by its items: the form starts with it
    (its validation still checks ownership), instead of asking for the number. The order the
    words name wins over one the conversation looked at earlier; when the words name several of
    their orders and not that earlier one, it is forgotten, so the form asks which (and lists them)
    instead of acting on the earlier order."""
    if has_order_entity:
        return []
    order_number = own_order_in(tracker.sender_id, text)
    if order_number:
        return [SlotSet("order_number", order_number)]
    earlier = tracker.get_slot("order_number")
    named = {order.order_number for order in matching_orders(tracker.sender_id, text)}
    return [SlotSet("order_number", None)] if earlier and named and earlier not in named else []


def picked_order(events: List[Dict[Text, Any]]) -> Optional[str]:
    """The order own_order_events picked, if it picked one (it may only forget an earlier one)."""
    return next((event["value"] for event in events if event.get("name") == "order_number" and event.get("value")),
                None)


def about_the_order_just_shown(tracker: Tracker, text: str) -> bool:
    """"那能改个地址不" right after the bot showed the customer's order is about that order, not a
    general question: a follow-up without a general marker, in a conversation with a verified order."""
    return bool(tracker.get_slot("verified_order")) and is_follow_up(text) and request_kind(text) != "task" \
        and not GENERAL_MARKER.search(text)


def names_own_purchase(tracker: Tracker, text: str) -> bool:
    """An identified customer who names an item of one of their own orders ("鞋子大了半码 能换小一码的吗",
    "空气炸锅的退款啥时候到") asks about that purchase, not about the rule in general; a general marker
    ("一般", "的话") still makes it a rule question."""
    return not GENERAL_MARKER.search(text) and bool(matching_orders(tracker.sender_id, text))


def order_lookup_events(tracker: Tracker, text: str, form: str = "order_lookup_form") -> List[Dict[Text, Any]]:
    """A customer who gives an order number, outside any form, wants that order looked at ("2026110006
    帮忙看下", "where is my order 2026110001"): the order lookup (or the `form` the topic asks for)
    starts with it, whatever the intent classifier made of the rest. Empty when there is no number
    or a form is already running."""
    order_number = normalize_order_number(text)
    if order_number is None or tracker.active_loop_name:
        return []
    return [SlotSet("order_number", order_number), SlotSet("request_kind", "task"), FollowupAction(form)]


class ActionTriageRequest(Action):
    def name(self) -> Text:
        return "action_triage_request"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[Dict[Text, Any]]:
        text = tracker.latest_message.get("text") or ""
        if about_another_platform(text):
            return [SlotSet("request_kind", None), *out_of_scope_events()]
        has_order_entity = any(e.get("entity") == "order_number" for e in tracker.latest_message.get("entities") or [])
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if has_order_entity or request_kind(text) == "task" or about_the_order_just_shown(tracker, text) \
                or names_own_purchase(tracker, text) or (intent in PARCEL_PROBLEM_INTENTS and not GENERAL_MARKER.search(text)):
            details = return_details_in(text) if intent == "return_exchange" else {}
            own = own_order_events(tracker, text, has_order_entity)
            if picked_order(own) and intent in CONFIRMED_INTENTS:
                dispatcher.utter_message(text=f"好的，是订单{picked_order(own)}吧，我来帮您办理。")
            note = excluded_item_note(text) if intent == "return_exchange" else None
            if note:
                dispatcher.utter_message(text=note)
            return [SlotSet("request_kind", "task"), *own, *(SlotSet(name, value) for name, value in details.items())]
        answered, trace = await answer_from_knowledge(dispatcher, tracker)
        if not answered:
            return [SlotSet("request_kind", "task"), SlotSet("knowledge_trace", trace)]
        dispatcher.utter_message(text=OFFER_ORDER_CHECK)
        return [SlotSet("request_kind", "question"), SlotSet("knowledge_trace", trace)]
