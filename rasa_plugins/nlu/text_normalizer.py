"""TextNormalizer: the first component of the NLU pipeline (rasa_plugins/text/normalize.py).

    - name: rasa_plugins.nlu.text_normalizer.TextNormalizer

It rewrites each message's text to simplified characters and ASCII letters and digits, in training
and at prediction alike, so everything after it (tokenizer, featurizers, classifiers, entity
extractors, and the actions reading `latest_message.text`) sees one spelling. The text keeps its
length, so annotated entity spans stay valid. The gateway keeps the customer's original words.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from rasa_plugins.text.normalize import normalize_text


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class TextNormalizer(GraphComponent):
    """Traditional → simplified, full-width → ASCII, before anything reads the text."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {}

    @staticmethod
    def required_packages() -> List[Text]:
        return ["opencc"]

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "TextNormalizer":
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        for message in training_data.training_examples:
            self._normalize(message)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self._normalize(message)
        return messages

    @staticmethod
    def _normalize(message: Message) -> None:
        text: Optional[str] = message.get(TEXT)
        if text:
            normalized = normalize_text(text)
            if normalized != text:
                message.set(TEXT, normalized)
