"""PLACEHOLDER for `action_answer_from_knowledge`; the lead wires in the retrieval library.

Contract kept by the real implementation: answer from the knowledge base when it can, and set
the slot `knowledge_found` (True / False) so the fallback chain in stories/fallback.yml continues
(False: offer a person; a second unanswered fallback in a row hands off).
"""
import logging
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

logger = logging.getLogger(__name__)


class ActionAnswerFromKnowledge(Action):
    """PLACEHOLDER: never finds an answer."""

    def name(self) -> Text:
        return "action_answer_from_knowledge"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[Dict[Text, Any]]:
        logger.info("PLACEHOLDER action_answer_from_knowledge: no knowledge base wired in yet")
        dispatcher.utter_message(text="抱歉，知识库里暂时没有找到这个问题的答案。")
        return [SlotSet("knowledge_found", False)]
