"""NoveltyGuard: send a message unlike anything in the training data to ``nlu_fallback``.

In config.yml, after the FallbackClassifier::

    - name: FallbackClassifier
      threshold: …
    - name: rasa_plugins.nlu.novelty_guard.NoveltyGuard
      similarity_threshold: …   # calibrated by `python -m eval.nlu.calibrate … --write`

Why: an intent classifier's top probability separates "a question the bot was not built for"
from in-scope messages weakly. A softmax spreads over the known intents only, and a confident
wrong intent looks like a right one. In an open-set probe on the bot's data (docs/nlu.md), 80 %
recall of unseen out-of-scope messages cost 11 % of in-scope messages with the probability alone,
6.2 % with the similarity below alone. The similarity is the mean cosine between the message's e5
vector and its ``neighbours`` nearest training messages: it asks "have we seen anything like
this?", which the classifier cannot.

A message of digits only (an order number, a phone tail, an amount: 1234, 2026110088) is never
judged: its e5 vector says little about meaning (bare phone tails scored 0.85-0.90, like keyboard
mash), and the form that asked for the number validates it.

Every parsed message gets ``novelty`` ({"similarity": …, "threshold": …, "novel": …}) in its
parse data (similarity None for a message the guard does not judge). When ``similarity_threshold`` is set and the similarity is below it, the intent
becomes ``nlu_fallback``, exactly as the FallbackClassifier would set it, so the fallback rules
and stories apply unchanged. With ``similarity_threshold: null`` it only reports (evaluation uses
this to calibrate the threshold on cross-validated messages).
"""
from __future__ import annotations

import logging
import re
import unicodedata
from typing import Any, Dict, List, Optional, Text

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.exceptions import InvalidConfigException
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from retrieval.embedders.base import l2_normalize

logger = logging.getLogger(__name__)
VECTORS_FILE = "novelty_guard.npy"
NOVELTY = "novelty"
_NOT_DIGITS = re.compile(r"[^0-9]")
_SEPARATORS = re.compile(r"[\s\-_.,:;/#、，。：；]+")


def digits_only(text: str) -> bool:
    """True for 1234, ５６７８ or 2026-110-088: digits with at most separators between them."""
    bare = _SEPARATORS.sub("", unicodedata.normalize("NFKC", text or ""))
    return bool(bare) and not _NOT_DIGITS.search(bare)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class NoveltyGuard(GraphComponent):
    """Remembers the training messages' sentence vectors; flags messages far from all of them."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            "neighbours": 3,  # how many nearest training messages the similarity averages
            "similarity_threshold": None,  # below it: nlu_fallback; None: report only
            "featurizers": [],  # dense featurizers whose sentence vectors are used; [] = all
        }

    @classmethod
    def validate_config(cls, config: Dict[Text, Any]) -> None:
        neighbours = config.get("neighbours")
        if not isinstance(neighbours, int) or neighbours < 1:
            raise InvalidConfigException(f"NoveltyGuard: neighbours must be a whole number >= 1, got {neighbours!r}")
        threshold = config.get("similarity_threshold")
        if threshold is not None and (not isinstance(threshold, (int, float)) or not -1.0 <= threshold <= 1.0):
            raise InvalidConfigException(
                f"NoveltyGuard: similarity_threshold must be a cosine within -1..1 or null, got {threshold!r}; "
                "calibrate it with `python -m eval.nlu.calibrate --write`")
        if not isinstance(config.get("featurizers"), list):
            raise InvalidConfigException("NoveltyGuard: featurizers must be a list of featurizer names")

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
                 vectors: Optional[np.ndarray] = None) -> None:
        self.config = {**self.get_default_config(), **config}
        self.validate_config(self.config)
        self._model_storage = model_storage
        self._resource = resource
        self.vectors = vectors

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "NoveltyGuard":
        return cls(config, model_storage, resource)

    def _sentence_vectors(self, messages: List[Message]) -> tuple[np.ndarray, list[int]]:
        """Unit sentence vectors of the messages that have one, and their positions."""
        rows, positions = [], []
        featurizers = self.config["featurizers"] or None
        for position, message in enumerate(messages):
            _, sentence = message.get_dense_features(TEXT, featurizers)
            if sentence is not None:
                rows.append(np.asarray(sentence.features, dtype=np.float32).reshape(-1))
                positions.append(position)
        if not rows:
            return np.zeros((0, 0), dtype=np.float32), positions
        return l2_normalize(np.vstack(rows)), positions

    def train(self, training_data: TrainingData) -> Resource:
        examples = [m for m in training_data.intent_examples if m.get(TEXT)]
        vectors, _ = self._sentence_vectors(examples)
        if not len(vectors):
            raise InvalidConfigException(
                "NoveltyGuard: the training messages have no dense sentence features; put a dense "
                "featurizer (rasa_plugins.nlu.e5_featurizer.E5SentenceFeaturizer) before it in the pipeline")
        self.vectors = vectors
        with self._model_storage.write_to(self._resource) as folder:
            np.save(folder / VECTORS_FILE, vectors)
        return self._resource

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "NoveltyGuard":
        try:
            with model_storage.read_from(resource) as folder:
                vectors = np.load(folder / VECTORS_FILE)
        except (ValueError, FileNotFoundError):
            logger.warning("NoveltyGuard: no training vectors in the model; it will not judge messages")
            vectors = None
        return cls(config, model_storage, resource, vectors)

    def similarities(self, messages: List[Message]) -> List[Optional[float]]:
        """Mean cosine to the nearest training messages, per message (None without a vector, and
        for a message of digits only)."""
        result: List[Optional[float]] = [None] * len(messages)
        if self.vectors is None or not len(self.vectors):
            return result
        judged = [i for i, message in enumerate(messages) if not digits_only(message.get(TEXT) or "")]
        vectors, found = self._sentence_vectors([messages[i] for i in judged])
        positions = [judged[i] for i in found]
        if not positions:
            return result
        if vectors.shape[1] != self.vectors.shape[1]:
            raise ValueError(f"NoveltyGuard: messages have {vectors.shape[1]}-dim sentence vectors, the model "
                             f"was trained with {self.vectors.shape[1]}: the featurizers changed, retrain the model")
        cosines = vectors @ self.vectors.T
        k = min(int(self.config["neighbours"]), cosines.shape[1])
        nearest = np.partition(cosines, cosines.shape[1] - k, axis=1)[:, -k:]
        for position, value in zip(positions, nearest.mean(axis=1)):
            result[position] = float(value)
        return result

    def process(self, messages: List[Message]) -> List[Message]:
        threshold = self.config["similarity_threshold"]
        for message, similarity in zip(messages, self.similarities(messages)):
            novel = similarity is not None and threshold is not None and similarity < float(threshold)
            message.set(NOVELTY, {"similarity": None if similarity is None else round(similarity, 4),
                                  "threshold": threshold, "novel": novel}, add_to_output=True)
            intent = message.get(INTENT) or {}
            if novel and intent.get(INTENT_NAME_KEY) != DEFAULT_NLU_FALLBACK_INTENT_NAME:
                assert similarity is not None  # novel implies a similarity
                fallback = {INTENT_NAME_KEY: DEFAULT_NLU_FALLBACK_INTENT_NAME,
                            PREDICTED_CONFIDENCE_KEY: 1.0 - similarity}
                message.set(INTENT, fallback, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [fallback, *(message.get(INTENT_RANKING_KEY) or [])],
                            add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
