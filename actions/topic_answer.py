"""`action_answer_topic`: policy questions with a recognised intent (invoice, coupons, return
shipping, payment failure, account security) are answered from the knowledge base first.

Why: the knowledge base is where the service team keeps the current policy, with sources; a static
`utter_<intent>` response goes stale the day a policy changes and cannot answer the specific
question ("电子发票能改抬头吗"). The static response stays as the answer when the knowledge base
abstains or is not ready, so a recognised question never ends in "I don't know".

A customer who gives an order number, or asks the shop to act on one of their orders
("保温杯那单帮我开个发票"), gets the order lookup instead (actions/triage.py).

This action deliberately does not set `knowledge_found`: that slot drives the low-confidence
fallback chain (offer a person, then hand off) and a recognised topic question never enters it.
"""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.knowledge_answer import answer_from_knowledge
from actions.request_kind import asks_to_act
from actions.scope import about_another_platform, out_of_scope_events
from actions.triage import order_lookup_events, own_order_events

logger = logging.getLogger(__name__)

TOPIC_INTENTS = ("invoice", "promotion_coupon", "return_shipping_fee", "payment_failure", "account_security")
# topics a customer may ask the shop to act on for one of their orders ("保温杯那单帮我开个发票")
ORDER_TASK_INTENTS = ("invoice",)


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
        lookup = order_lookup_events(tracker, text)
        if not lookup and intent in ORDER_TASK_INTENTS and asks_to_act(text) and not tracker.active_loop_name:
            lookup = [SlotSet("request_kind", "task"), *own_order_events(tracker, text, False),
                      FollowupAction("order_lookup_form")]
        if lookup:
            return lookup
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
