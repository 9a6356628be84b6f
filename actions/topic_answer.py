"""`action_answer_topic`: policy questions with a recognised intent (invoice, coupons, return
shipping, payment failure, account security) are answered from the knowledge base first.

Why: the knowledge base is where the service team keeps the current policy, with sources; a static
`utter_<intent>` response goes stale the day a policy changes and cannot answer the specific
question ("电子发票能改抬头吗"). The static response stays as the answer when the knowledge base
abstains or is not ready, so a recognised question never ends in "I don't know".

A customer who gives an order number, or asks the shop to act on one of their orders
("保温杯那单帮我开个发票", "前天买的羊毛衫降价了 差价能退给我吗"), gets the topic's order form instead
(invoice_form, price_protect_form; actions/triage.py for the signals), or the order lookup.

This action deliberately does not set `knowledge_found`: that slot drives the low-confidence
fallback chain (offer a person, then hand off) and a recognised topic question never enters it.
"""
from __future__ import annotations

import logging
import re
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.knowledge_answer import answer_from_knowledge
from actions.policy import shipping_for_this_return
from actions.request_kind import asks_to_act
from actions.scope import about_another_platform, out_of_scope_events
from actions.triage import names_own_purchase, order_lookup_events, own_order_events, picked_order

logger = logging.getLogger(__name__)

TOPIC_INTENTS = ("invoice", "promotion_coupon", "return_shipping_fee", "payment_failure", "account_security")
PRICE_PROTECTION = re.compile(r"价保|保价|差价|降价|便宜了|降了")


def order_task_form(intent: str, text: str) -> Optional[str]:
    """The form that acts on an order for this topic, if a customer may ask for it: an invoice, or
    the difference back when the price dropped (价保 is a promotion topic for the classifier)."""
    if intent == "invoice":
        return "invoice_form"
    if intent == "promotion_coupon" and PRICE_PROTECTION.search(text):
        return "price_protect_form"
    return None


def static_response_for(intent: str, domain: DomainDict) -> str | None:
    """The designer's `utter_<intent>` response, when the domain has one."""
    name = f"utter_{intent}"
    return name if name in (domain.get("responses") or {}) else None


class ActionAnswerTopic(Action):
    def name(self) -> Text:
        return "action_answer_topic"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[Dict[Text, Any]]:
        intent = (tracker.latest_message.get("intent") or {}).get("name") or ""
        text = tracker.latest_message.get("text") or ""
        if about_another_platform(text) and not tracker.active_loop_name:
            return out_of_scope_events()
        form = order_task_form(intent, text)
        lookup = order_lookup_events(tracker, text, form or "order_lookup_form")
        if not lookup and form and not tracker.active_loop_name \
                and (asks_to_act(text) or names_own_purchase(tracker, text)):
            own = own_order_events(tracker, text, False)
            if picked_order(own):
                dispatcher.utter_message(text=f"好的，是订单{picked_order(own)}吧，我来帮您办理。")
            lookup = [SlotSet("request_kind", "task"), *own, FollowupAction(form)]
        if lookup:
            return lookup
        reason = tracker.get_slot("return_reason")
        if intent == "return_shipping_fee" and tracker.active_loop_name == "return_form" and reason:
            dispatcher.utter_message(text=shipping_for_this_return(str(reason)))
            return [SlotSet("knowledge_trace", {"intent": intent, "answered_by": "return_form_case"})]
        answered, trace = await answer_from_knowledge(dispatcher, tracker)
        trace = {**trace, "intent": intent, "answered_by": "knowledge" if answered else "static_response"}
        if not answered:
            response = static_response_for(intent, domain)
            if response:
                dispatcher.utter_message(response=response)
            else:
                logger.warning("action_answer_topic ran for intent %r, which has no utter_%s response", intent, intent)
                dispatcher.utter_message(response="utter_offer_human")
        return [SlotSet("knowledge_trace", trace)]
