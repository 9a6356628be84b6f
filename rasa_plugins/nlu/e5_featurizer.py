"""E5SentenceFeaturizer: dense features for DIET from the offline multilingual-e5-small model.

Use it in config.yml after the tokenizer::

    - name: rasa_plugins.nlu.e5_featurizer.E5SentenceFeaturizer

It is the retriever's model (``~/.cache/kefu/models/e5-small-onnx-int8``, built by
``./kefu setup``) run with onnxruntime, with the e5 ``query: `` prefix. Each message gets a
384-dim sentence feature (the retriever's query vector) and, with ``sequence_features: true``,
one 384-dim feature per token (the mean hidden state of the sub-words inside the token). Training
data is encoded in length-sorted batches. Nothing is trained and nothing is downloaded.
"""
from __future__ import annotations

import sys
from typing import Any, Dict, List, Optional, Text, Tuple

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import DENSE_FEATURIZABLE_ATTRIBUTES, TOKENS_NAMES
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.nlu.tokenizers.tokenizer import Tokenizer
from rasa.shared.exceptions import InvalidConfigException
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from rasa_plugins.nlu.e5_encoder import E5Encoder, ModelMissing, shared_encoder


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class E5SentenceFeaturizer(DenseFeaturizer, GraphComponent):
    """Sentence (and token) features from multilingual-e5-small; see the module docstring."""

    @classmethod
    def required_components(cls) -> List[type]:
        return [Tokenizer]

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            **DenseFeaturizer.get_default_config(),
            "model_dir": None,  # default: $KEFU_CACHE/models/e5-small-onnx-int8
            "max_length": 128,  # sub-words per message; customer messages are far shorter
            "batch_size": 64,
            "threads": 2,
            "sequence_features": True,
        }

    @staticmethod
    def required_packages() -> List[Text]:
        return ["onnxruntime", "tokenizers"]

    @classmethod
    def validate_config(cls, config: Dict[Text, Any]) -> None:
        if not 8 <= int(config["max_length"]) <= 512:
            raise InvalidConfigException("E5SentenceFeaturizer: max_length must be within 8..512")
        if int(config["batch_size"]) < 1 or int(config["threads"]) < 1:
            raise InvalidConfigException("E5SentenceFeaturizer: batch_size and threads must be >= 1")

    def __init__(self, config: Dict[Text, Any], name: Text) -> None:
        super().__init__(name, config)
        try:
            self.encoder: E5Encoder = shared_encoder(config["model_dir"], int(config["max_length"]),
                                                     int(config["batch_size"]), int(config["threads"]))
        except ModelMissing as error:
            raise InvalidConfigException(f"E5SentenceFeaturizer: {error}") from None

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "E5SentenceFeaturizer":
        return cls(config, execution_context.node_name)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        examples = training_data.training_examples
        for attribute in DENSE_FEATURIZABLE_ATTRIBUTES:
            todo = [m for m in examples if m.get(attribute) and m.get(TOKENS_NAMES[attribute])]
            if todo:
                print(f"[e5] encoding {len(todo)} training messages ({attribute})", file=sys.stderr, flush=True)
                self._featurize(todo, attribute)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for attribute in DENSE_FEATURIZABLE_ATTRIBUTES:
            todo = [m for m in messages if m.get(attribute) and m.get(TOKENS_NAMES[attribute])]
            if todo:
                self._featurize(todo, attribute)
        return messages

    def _featurize(self, messages: List[Message], attribute: Text) -> None:
        spans: List[List[Tuple[int, int]]] = [
            [(token.start, token.end) for token in m.get(TOKENS_NAMES[attribute])] for m in messages]
        encoded = self.encoder.encode([str(m.get(attribute)) for m in messages], spans)
        for message, vectors in zip(messages, encoded):
            sequence: Optional[np.ndarray] = vectors.tokens if self._config["sequence_features"] else None
            self.add_features_to_message(sequence, vectors.sentence[None, :], attribute, message)
