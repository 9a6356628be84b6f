"""`action_default_fallback`, Kefu's own: when the dialogue policy is unsure what to do (RulePolicy's
core fallback), the customer still gets an answer.

Rasa's built-in version utters `utter_default` when the domain has it and nothing otherwise, so a
customer whose message fell between the stories saw silence. This one tries the knowledge base
first (a grounded, cited answer) and otherwise says plainly that the bot did not understand and how
to reach a person, then reverts the message as Rasa's own does. The gateway has a last safety net
of its own for any turn that still ends without a visible reply (bot/gateway/router.py).
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet, UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.knowledge_answer import answer_from_knowledge
from bot.handoff import NOT_UNDERSTOOD_TEXT


def already_answered(tracker: Tracker) -> bool:
    """Whether the bot said something visible after the customer's latest message."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return False
        if event.get("event") == "bot" and (event.get("text") or (event.get("data") or {}).get("buttons")):
            return True
    return False


class ActionDefaultFallback(Action):
    def name(self) -> Text:
        return "action_default_fallback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[Dict[Text, Any]]:
        if already_answered(tracker):
            # an action earlier in this turn replied, and the policy is only unsure what comes next:
            # a second, contradicting reply would confuse the customer, so just wait for them
            return [UserUtteranceReverted()]
        answered, trace = await answer_from_knowledge(dispatcher, tracker)
        if not answered:
            dispatcher.utter_message(text=NOT_UNDERSTOOD_TEXT)
        # Like Rasa's own fallback, forget the message for prediction: otherwise the policy, still
        # unsure, predicts this action again and the customer gets the same reply up to ten times.
        return [UserUtteranceReverted(), SlotSet("knowledge_trace", trace)]
