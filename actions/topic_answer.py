"""`action_answer_topic`: policy questions with a recognised intent (invoice, coupons, return
shipping, payment failure, account security) are answered from the knowledge base first.

Why: the knowledge base is where the service team keeps the current policy, with sources; a static
`utter_<intent>` response goes stale the day a policy changes and cannot answer the specific
question ("电子发票能改抬头吗"). The static response stays as the answer when the knowledge base
abstains or is not ready, so a recognised question never ends in "I don't know".

This action deliberately does not set `knowledge_found`: that slot drives the low-confidence
fallback chain (offer a person, then hand off) and a recognised topic question never enters it.
"""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.knowledge_answer import answer_from_knowledge

logger = logging.getLogger(__name__)

TOPIC_INTENTS = ("invoice", "promotion_coupon", "return_shipping_fee", "payment_failure", "account_security")


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
