"""WithdrawnComplaint: a message that takes its complaint back is read for what it asks next.

In config.yml, after the NoveltyGuard::

    - name: rasa_plugins.nlu.withdrawn_complaint.WithdrawnComplaint

Why: "本来想投诉你们的 想想算了 不投诉了 你就帮我看看羽绒服寄到哪了" is classified `complaint`, whose
form asks the customer to describe what went wrong, the one thing they just said they will not do.
The risk check already reads the withdrawal (bot/risk/words.py: a risk word withdrawn anywhere in a
message is withdrawn in all of it). When the top intent is `complaint` and the message withdraws
the word 投诉, the intent becomes the best-ranked other intent (not complaint, not the fallback); a
message that withdraws nothing, or has nothing else to ask, keeps `complaint`.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

COMPLAINT = "complaint"
COMPLAINT_WORD = "投诉"
WITHDRAWN = "complaint_withdrawn"


def withdraws_the_complaint(text: str) -> bool:
    from bot.risk.words import withdrawn_risk_words

    return COMPLAINT_WORD in withdrawn_risk_words(text, (COMPLAINT_WORD,))


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class WithdrawnComplaint(GraphComponent):
    """Replaces `complaint` by the next-ranked intent when the message withdraws its complaint."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {}

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "WithdrawnComplaint":
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = message.get(INTENT) or {}
            if intent.get(INTENT_NAME_KEY) != COMPLAINT or not withdraws_the_complaint(message.get(TEXT) or ""):
                continue
            ranking = message.get(INTENT_RANKING_KEY) or []
            others = [entry for entry in ranking
                      if entry.get(INTENT_NAME_KEY) not in (COMPLAINT, DEFAULT_NLU_FALLBACK_INTENT_NAME)]
            if not others:
                continue
            message.set(INTENT, others[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, others + [entry for entry in ranking if entry not in others],
                        add_to_output=True)
            message.set(WITHDRAWN, True, add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
