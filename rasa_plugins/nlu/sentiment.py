"""Rasa 3.6 component: label each message positive / neutral / negative, and a negative one 不满 / 愤怒 / 失望.

In config.yml, after the intent classifier:

    - name: rasa_plugins.nlu.sentiment.SentimentAnalyzer

It ships a pre-trained model (rasa_plugins/nlu/models/sentiment-v1.npz, made by
`python -m models.train_sentiment`), so Rasa does not train it. The result goes on the message as
`sentiment` with add_to_output=True, so it appears in /model/parse and in the tracker's
parse_data (`tracker.latest_message["sentiment"]` in an action):

    {"label": "negative", "confidence": 0.93, "emotion": "愤怒", "emotion_score": 0.81,
     "probabilities": {"negative": 0.93, "neutral": 0.05, "positive": 0.02}}

actions/emotion.py turns it into the slots `sentiment`, `emotion` and `emotion_score`.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from rasa_plugins.nlu.sentiment_model import DEFAULT_MODEL, SentimentModel

SENTIMENT = "sentiment"


class SentimentConfigError(ValueError):
    """The component's `model` setting points nowhere."""


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class SentimentAnalyzer(GraphComponent):
    """Adds `sentiment` to every parsed message; never changes the intent."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # model: the .npz file; a relative path is read from the project's code root
        return {"model": None}

    def __init__(self, model: SentimentModel) -> None:
        self.model = model

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "SentimentAnalyzer":
        return cls(SentimentModel.load(cls.model_path(config.get("model"))))

    @staticmethod
    def model_path(setting: Optional[str]) -> Path:
        if not setting:
            return DEFAULT_MODEL
        path = Path(setting)
        path = path if path.is_absolute() else Path.cwd() / path  # Rasa runs in the project folder
        if not path.exists():
            raise SentimentConfigError(
                f"SentimentAnalyzer: model file {path} does not exist; fix `model:` in config.yml "
                "or leave it out to use rasa_plugins/nlu/models/sentiment-v1.npz")
        return path

    def process(self, messages: List[Message]) -> List[Message]:
        texts = [message.get(TEXT) or "" for message in messages]
        for message, result in zip(messages, self.model.predict(texts)):
            message.set(SENTIMENT, result.as_dict(), add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
