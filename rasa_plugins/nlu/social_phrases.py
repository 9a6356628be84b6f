"""SocialPhraseRescue: a purely social message that fell to ``nlu_fallback`` gets its social intent.

In config.yml, last, after the NoveltyGuard::

    - name: rasa_plugins.nlu.social_phrases.SocialPhraseRescue

Why: "客服辛苦啦 新年快乐🧧" or "好吧 那就算了 知道了" combine phrases of a closed class in ways no
training example does; the classifier or the novelty guard then says nlu_fallback and the customer
who thanked the bot hears that it cannot answer. rasa_plugins/text/social.py decides, from the
message alone, whether nothing but social phrases and filler is in it. Only a fallback is rescued:
a confident intent (including `affirm` for "好的" after an offer) is never changed. A plain
acknowledgement ("知道了", "哦") becomes `deny`, whose rules answer "好的。请问还有其他可以帮您的吗？"
and which never accepts an offer the way `affirm` would.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from rasa_plugins.text.social import social_class

INTENT_OF_CLASS = {"goodbye": "goodbye", "thanks": "thanks", "stop": "stop", "greet": "greet",
                   "acknowledge": "deny"}
RESCUED = "social_rescue"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class SocialPhraseRescue(GraphComponent):
    """Replaces nlu_fallback by the social intent of a message made only of social phrases."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"confidence": 0.9}

    def __init__(self, config: Dict[Text, Any]) -> None:
        self.config = {**self.get_default_config(), **config}

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "SocialPhraseRescue":
        return cls(config)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = message.get(INTENT) or {}
            if intent.get(INTENT_NAME_KEY) != DEFAULT_NLU_FALLBACK_INTENT_NAME:
                continue
            social = social_class(message.get(TEXT) or "")
            if social is None:
                continue
            rescued = {INTENT_NAME_KEY: INTENT_OF_CLASS[social], PREDICTED_CONFIDENCE_KEY: self.config["confidence"]}
            message.set(INTENT, rescued, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [rescued, *(message.get(INTENT_RANKING_KEY) or [])], add_to_output=True)
            message.set(RESCUED, social, add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
